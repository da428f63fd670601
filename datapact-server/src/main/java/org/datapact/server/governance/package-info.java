/** Agreements under governance: import, export and the operators' view of them. */
@NullMarked
package org.datapact.server.governance;

import org.jspecify.annotations.NullMarked;
