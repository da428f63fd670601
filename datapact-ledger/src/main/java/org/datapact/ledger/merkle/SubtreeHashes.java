package org.datapact.ledger.merkle;

/**
 * Where proofs get their hashes: the root of any range of leaves. A tiled store answers aligned
 * power-of-two ranges from stored nodes and needs to compute only the ragged right edge, so a proof
 * reads O(log n) hashes, never the whole log.
 */
@FunctionalInterface
public interface SubtreeHashes {
  /**
   * @param start first leaf index, inclusive
   * @param end last leaf index, exclusive; {@code end > start}
   * @return MTH(D[start:end]) as RFC 9162 §2.1.1 defines it
   */
  byte[] hash(long start, long end);
}
