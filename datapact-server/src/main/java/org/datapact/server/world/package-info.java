/** The demo world served to the console. */
@NullMarked
package org.datapact.server.world;

import org.jspecify.annotations.NullMarked;
