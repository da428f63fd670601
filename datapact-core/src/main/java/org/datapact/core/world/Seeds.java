package org.datapact.core.world;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Independent random streams per world section, derived from the world seed by SHA-256. A section
 * draws only from its own stream, so adding a section (or changing how many numbers one draws)
 * never changes what the other sections generate.
 */
final class Seeds {
  private Seeds() {}

  /**
   * @return a random stream for {@code section} that depends only on {@code seed} and the name
   */
  static SplittableRandom stream(long seed, String section) {
    return new SplittableRandom(ByteBuffer.wrap(derive(seed, "stream|" + section)).getLong());
  }

  /**
   * @return 32 bytes derived from the seed and a label
   */
  static byte[] derive(long seed, String label) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
      sha.update(label.getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }
}
