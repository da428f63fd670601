package org.datapact.core.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes secrets with PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), a KDF the JDK ships and FIPS accepts,
 * with a random 16-byte salt per secret and 600,000 iterations by default (the OWASP Password
 * Storage Cheat Sheet's figure for PBKDF2-HMAC-SHA256). Verification compares in constant time.
 *
 * <p>Thread-safe and stateless apart from its {@link SecureRandom}.
 */
public final class SecretHasher {
  /** The algorithm tag at the start of every encoded hash. */
  public static final String ALGORITHM_ID = "pbkdf2-sha256";

  /** The default work factor. */
  public static final int DEFAULT_ITERATIONS = 600_000;

  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private final int iterations;
  private final SecureRandom random = new SecureRandom();

  /** A hasher with the default work factor. */
  public SecretHasher() {
    this(DEFAULT_ITERATIONS);
  }

  /**
   * @param iterations the PBKDF2 iteration count; at least 10,000 (tests use a low count to stay
   *     fast, production uses the default)
   */
  public SecretHasher(int iterations) {
    if (iterations < 10_000) {
      throw new IllegalArgumentException(
          "pbkdf2 needs at least 10000 iterations, got `" + iterations + "`");
    }
    this.iterations = iterations;
  }

  /**
   * @return the one-way hash of {@code secret} with a fresh random salt
   */
  public SecretHash hash(Secret secret) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(secret.revealForHashingOrDisplayOnce(), salt, iterations);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return new SecretHash(
        ALGORITHM_ID
            + "$"
            + iterations
            + "$"
            + b64.encodeToString(salt)
            + "$"
            + b64.encodeToString(hash));
  }

  /**
   * @return whether {@code candidate} is the secret {@code stored} was made from
   */
  public static boolean verify(Secret candidate, SecretHash stored) {
    String[] parts = stored.encoded().split("\\$");
    int n;
    try {
      n = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return false;
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] salt = b64.decode(parts[2]);
    byte[] expected = b64.decode(parts[3]);
    byte[] actual = derive(candidate.revealForHashingOrDisplayOnce(), salt, n);
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(String secret, byte[] salt, int iterations) {
    char[] chars =
        new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      // INVARIANT: every Java SE runtime provides PBKDF2WithHmacSHA256
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
      java.util.Arrays.fill(chars, '\0');
    }
  }
}
