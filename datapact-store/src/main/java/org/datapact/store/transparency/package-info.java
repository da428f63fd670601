/** The transparency report's releases and the privacy budget they spent. */
@NullMarked
package org.datapact.store.transparency;

import org.jspecify.annotations.NullMarked;
