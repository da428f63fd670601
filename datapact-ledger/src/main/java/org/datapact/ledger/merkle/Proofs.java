package org.datapact.ledger.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Building and verifying RFC 9162 inclusion (§2.1.3) and consistency (§2.1.4) proofs. Pure code
 * over hashes, no I/O: building reads subtree hashes from a {@link SubtreeHashes}, verifying needs
 * only the proof and the roots.
 */
public final class Proofs {
  private Proofs() {}

  /**
   * @return the largest power of two smaller than {@code n} (n &gt; 1)
   */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  /**
   * The audit path PATH(m, D[0:n]) of RFC 9162 §2.1.3.1.
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < size}
   */
  public static List<byte[]> inclusion(long index, long size, SubtreeHashes tree) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "leaf `" + index + "` is not in a tree of size `" + size + "`");
    }
    List<byte[]> path = new ArrayList<>();
    inclusion(index, 0, size, tree, path);
    return path;
  }

  private static void inclusion(
      long m, long start, long end, SubtreeHashes tree, List<byte[]> out) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = split(n);
    if (m < k) {
      inclusion(m, start, start + k, tree, out);
      out.add(tree.hash(start + k, end));
    } else {
      inclusion(m - k, start + k, end, tree, out);
      out.add(tree.hash(start, start + k));
    }
  }

  /**
   * The consistency proof PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1.
   *
   * @throws IllegalArgumentException unless {@code 0 <= first <= second}
   */
  public static List<byte[]> consistency(long first, long second, SubtreeHashes tree) {
    if (first < 0 || first > second) {
      throw new IllegalArgumentException(
          "no consistency proof from size `" + first + "` to `" + second + "`");
    }
    List<byte[]> proof = new ArrayList<>();
    if (first == 0 || first == second) {
      return proof;
    }
    subproof(first, 0, second, true, tree, proof);
    return proof;
  }

  private static void subproof(
      long m, long start, long end, boolean complete, SubtreeHashes tree, List<byte[]> out) {
    long n = end - start;
    if (m == n) {
      if (!complete) {
        out.add(tree.hash(start, end));
      }
      return;
    }
    long k = split(n);
    if (m <= k) {
      subproof(m, start, start + k, complete, tree, out);
      out.add(tree.hash(start + k, end));
    } else {
      subproof(m - k, start + k, end, false, tree, out);
      out.add(tree.hash(start, start + k));
    }
  }

  /**
   * Verifies an inclusion proof with the algorithm of RFC 9162 §2.1.3.2.
   *
   * @return whether {@code leafHash} is leaf {@code index} of the tree of {@code size} with {@code
   *     root}
   */
  public static boolean verifyInclusion(
      byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root) {
    if (index < 0
        || index >= size
        || leafHash == null
        || root == null
        || leafHash.length != Hashes.SIZE) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (p == null || p.length != Hashes.SIZE || sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Hashes.node(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = Hashes.node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && java.security.MessageDigest.isEqual(r, root);
  }

  /**
   * Verifies a consistency proof with the algorithm of RFC 9162 §2.1.4.2.
   *
   * @return whether the tree of {@code second} leaves with {@code secondRoot} extends the tree of
   *     {@code first} leaves with {@code firstRoot}
   */
  public static boolean verifyConsistency(
      long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
    if (first < 0 || first > second || firstRoot == null || secondRoot == null) {
      return false;
    }
    if (first == second) {
      return proof.isEmpty() && java.security.MessageDigest.isEqual(firstRoot, secondRoot);
    }
    if (first == 0) {
      return proof.isEmpty() && java.security.MessageDigest.isEqual(firstRoot, Hashes.emptyRoot());
    }
    if (proof.isEmpty()) {
      return false;
    }
    for (byte[] p : proof) {
      if (p == null || p.length != Hashes.SIZE) {
        return false;
      }
    }
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(first) == 1) { // first is an exact power of two: its root starts the path
      path.add(0, firstRoot);
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Hashes.node(c, fr);
        sr = Hashes.node(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = Hashes.node(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
  }
}
