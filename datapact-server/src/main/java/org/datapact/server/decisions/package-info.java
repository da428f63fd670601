/** Units' decisions and the operators' what-if, both through the release pipeline. */
@NullMarked
package org.datapact.server.decisions;

import org.jspecify.annotations.NullMarked;
