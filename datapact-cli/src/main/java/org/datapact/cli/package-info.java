/** The {@code datapact} command line: demo, serve, world generation, ledger verify and replay. */
@NullMarked
package org.datapact.cli;

import org.jspecify.annotations.NullMarked;
