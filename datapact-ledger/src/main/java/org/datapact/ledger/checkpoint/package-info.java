/** Signed tree heads: checkpoints in the C2SP tlog-checkpoint signed-note format, Ed25519. */
@NullMarked
package org.datapact.ledger.checkpoint;

import org.jspecify.annotations.NullMarked;
