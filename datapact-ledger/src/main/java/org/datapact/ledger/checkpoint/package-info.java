/** Signed tree heads: checkpoints in the C2SP tlog-checkpoint signed-note format, Ed25519. */
package org.datapact.ledger.checkpoint;
