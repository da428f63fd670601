package org.datapact.ledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle tree kept in memory as levels of complete subtrees: level 0 holds the leaf hashes, level
 * {@code l} the roots of the aligned subtrees of {@code 2^l} leaves. Appending updates one node per
 * level; the root of any range is assembled from O(log n) stored nodes. It is the reference {@link
 * SubtreeHashes} for tests and the shape a tiled store persists.
 *
 * <p>Not thread-safe.
 */
public final class MemoryTree implements SubtreeHashes {
  private final List<List<byte[]>> levels = new ArrayList<>();

  /** Appends a leaf hash. @return its index */
  public long append(byte[] leafHash) {
    if (leafHash.length != Hashes.SIZE) {
      throw new IllegalArgumentException("a leaf hash has 32 bytes, got " + leafHash.length);
    }
    if (levels.isEmpty()) {
      levels.add(new ArrayList<>());
    }
    levels.get(0).add(leafHash);
    long index = levels.get(0).size() - 1L;
    byte[] h = leafHash;
    for (int l = 0;
        ((index >> l) & 1) == 1;
        l++) { // a completed pair at level l makes a node at l + 1
      List<byte[]> level = levels.get(l);
      h = Hashes.node(level.get(level.size() - 2), h);
      if (levels.size() == l + 1) {
        levels.add(new ArrayList<>());
      }
      levels.get(l + 1).add(h);
    }
    return index;
  }

  /**
   * @return the number of leaves
   */
  public long size() {
    return levels.isEmpty() ? 0 : levels.get(0).size();
  }

  /**
   * @return the root of the first {@code size} leaves
   */
  public byte[] root(long size) {
    if (size < 0 || size > size()) {
      throw new IllegalArgumentException("no tree of size `" + size + "` in a log of " + size());
    }
    return size == 0 ? Hashes.emptyRoot() : hash(0, size);
  }

  @Override
  public byte[] hash(long start, long end) {
    long n = end - start;
    if (n <= 0 || end > size()) {
      throw new IllegalArgumentException(
          "range [" + start + ", " + end + ") is not in a log of " + size());
    }
    if (Long.bitCount(n) == 1 && start % n == 0) { // an aligned complete subtree is stored
      int level = Long.numberOfTrailingZeros(n);
      return levels.get(level).get((int) (start >> level));
    }
    long k = Proofs.split(n);
    return Hashes.node(hash(start, start + k), hash(start + k, end));
  }
}
