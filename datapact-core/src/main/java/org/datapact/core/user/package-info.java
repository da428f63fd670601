/** Users of the platform, the data subjects. */
@NullMarked
package org.datapact.core.user;

import org.jspecify.annotations.NullMarked;
