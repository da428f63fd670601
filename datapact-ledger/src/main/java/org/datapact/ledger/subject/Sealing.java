package org.datapact.ledger.subject;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM sealing of an entry's personal fields: {@code "v1." + base64url(iv ‖ ciphertext ‖
 * tag)} with a random 96-bit IV and the subject's pseudonym as associated data, so a sealed value
 * cannot be moved to another subject's entry unnoticed.
 */
final class Sealing {
  private static final String PREFIX = "v1.";
  private static final int IV = 12;
  private static final int TAG_BITS = 128;

  /** One generator per thread: a shared one's lock convoyed request threads under load. */
  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(
          () -> {
            try {
              return SecureRandom.getInstance("DRBG");
            } catch (java.security.NoSuchAlgorithmException e) {
              return new SecureRandom(); // INVARIANT: JDK 9+ has DRBG
            }
          });

  /**
   * One cipher object per thread: looking one up costs more than the encryption of a small value.
   */
  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(
                  "the JDK lacks AES-GCM", e); // INVARIANT: every JDK 17 has it
            }
          });

  private Sealing() {}

  static String seal(byte[] key, byte[] aad, byte[] plaintext) {
    byte[] iv = new byte[IV];
    RANDOM.get().nextBytes(iv);
    try {
      Cipher c = CIPHER.get();
      c.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      c.updateAAD(aad);
      byte[] ct = c.doFinal(plaintext);
      byte[] out = new byte[IV + ct.length];
      System.arraycopy(iv, 0, out, 0, IV);
      System.arraycopy(ct, 0, out, IV, ct.length);
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES-GCM", e); // INVARIANT: every JDK 17 has it
    }
  }

  static byte[] open(byte[] key, byte[] aad, String sealed) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a sealed value (expected the `v1.` prefix)");
    }
    byte[] in;
    try {
      in = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a sealed value is not base64url", e);
    }
    if (in.length < IV + TAG_BITS / 8) {
      throw new IllegalArgumentException("a sealed value is too short");
    }
    try {
      Cipher c = CIPHER.get();
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, in, 0, IV));
      c.updateAAD(aad);
      return c.doFinal(in, IV, in.length - IV);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException(
          "a sealed value does not open under this subject's key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES-GCM", e); // INVARIANT: every JDK 17 has it
    }
  }
}
