package org.datapact.ledger.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashing of RFC 9162 §2.1.1 (as in RFC 6962): SHA-256 with domain separation between leaves
 * and interior nodes, so that no leaf can be passed off as a node.
 *
 * <pre>
 *   leaf hash  = SHA-256(0x00 || entry)
 *   node hash  = SHA-256(0x01 || left || right)
 *   empty root = SHA-256("")
 * </pre>
 *
 * <p>Thread-safe: a digest per thread.
 */
public final class Hashes {
  /** Bytes in a hash. */
  public static final int SIZE = 32;

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(
                  "the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
            }
          });

  private Hashes() {}

  /**
   * @return the root of the empty tree
   */
  public static byte[] emptyRoot() {
    return fresh().digest(new byte[0]);
  }

  /** INVARIANT: a digest left half-fed by an exception never leaks into the next hash. */
  private static MessageDigest fresh() {
    MessageDigest sha = SHA256.get();
    sha.reset();
    return sha;
  }

  /**
   * @return the hash of a leaf holding {@code entry}
   */
  public static byte[] leaf(byte[] entry) {
    MessageDigest sha = fresh();
    sha.update((byte) 0x00);
    sha.update(entry);
    return sha.digest();
  }

  /**
   * @return the hash of an interior node over two child hashes
   */
  public static byte[] node(byte[] left, byte[] right) {
    if (left == null || right == null) {
      throw new IllegalArgumentException("a node needs two child hashes");
    }
    MessageDigest sha = fresh();
    sha.update((byte) 0x01);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }
}
