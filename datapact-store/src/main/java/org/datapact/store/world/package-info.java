/** The demo world's loading and writing. */
@NullMarked
package org.datapact.store.world;

import org.jspecify.annotations.NullMarked;
