/** An independent witness of a log: checks each checkpoint against what it saw, then cosigns. */
@NullMarked
package org.datapact.ledger.witness;

import org.jspecify.annotations.NullMarked;
