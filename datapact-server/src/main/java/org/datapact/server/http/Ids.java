package org.datapact.server.http;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random ids for decisions and listings: version-4 UUIDs from a DRBG per thread. {@code
 * UUID.randomUUID()} draws from one shared generator whose lock convoyed request threads under load
 * on two cores.
 */
public final class Ids {
  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(
          () -> {
            try {
              return SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
              return new SecureRandom(); // INVARIANT: JDK 9+ has DRBG; any SecureRandom will do
            }
          });

  private Ids() {}

  /**
   * @return a random version-4 UUID, as text
   */
  public static String uuid() {
    byte[] b = new byte[16];
    RANDOM.get().nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
    b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 0xff);
      lo = (lo << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(hi, lo).toString();
  }
}
