/**
 * RFC 9162 Merkle tree hashing, inclusion and consistency proofs: pure code over hashes. The
 * durable log, checkpoints and HTTP views build on it.
 */
package org.datapact.ledger.merkle;
