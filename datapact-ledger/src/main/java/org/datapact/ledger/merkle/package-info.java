/**
 * RFC 9162 Merkle tree hashing, inclusion and consistency proofs: pure code over hashes. The
 * durable log, checkpoints and HTTP views build on it.
 */
@NullMarked
package org.datapact.ledger.merkle;

import org.jspecify.annotations.NullMarked;
