package org.datapact.core.party;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.datapact.core.user.UserId;

/**
 * Partner-scoped user ids, as app-scoped ids work on social platforms: each partner sees each user
 * under its own stable id, and two partners' ids for one user cannot be joined. An id is the user
 * id and eight zero bytes, encrypted as one AES-128 block under a key derived for the partner from
 * a master key ({@code "u_" + base64url}, 24 characters). Decryption needs no table, and an id made
 * up, altered or issued to another partner fails the zero check (a 2^-64 chance of passing).
 *
 * <p>Thread-safe.
 */
public final class PartnerIds {
  private static final String PREFIX = "u_";
  private final byte[] master;
  private final ConcurrentHashMap<PartyId, SecretKeySpec> keys = new ConcurrentHashMap<>();
  private final ThreadLocal<Cipher> encrypt = ThreadLocal.withInitial(PartnerIds::ecb);
  private final ThreadLocal<Cipher> decrypt = ThreadLocal.withInitial(PartnerIds::ecb);

  /**
   * @param master at least 32 bytes
   */
  public PartnerIds(byte[] master) {
    if (master.length < 32) {
      throw new IllegalArgumentException("a partner-id master key has at least 32 bytes");
    }
    this.master = master.clone();
  }

  /**
   * @return ids under a fresh random master key
   */
  public static PartnerIds random() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return new PartnerIds(k);
  }

  private static Cipher ecb() {
    try {
      return Cipher.getInstance(
          "AES/ECB/NoPadding"); // one block: a pseudorandom permutation of the id
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES", e); // INVARIANT: every JDK has it
    }
  }

  private SecretKeySpec key(PartyId partner) {
    return keys.computeIfAbsent(
        partner,
        p -> {
          try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            byte[] k = mac.doFinal(("partner-id|" + p.value()).getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(k, 0, 16, "AES");
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                "the JDK lacks HmacSHA256", e); // INVARIANT: every JDK has it
          }
        });
  }

  /**
   * Ids computed recently, per partner (bounded; cleared when full): a friend list names the same
   * users often.
   */
  private final ConcurrentHashMap<PartyId, ConcurrentHashMap<Long, String>> issued =
      new ConcurrentHashMap<>();

  private static final int ISSUED_LIMIT = 1 << 17;

  /**
   * @return {@code user}'s id as {@code partner} sees it
   */
  public String of(PartyId partner, UserId user) {
    ConcurrentHashMap<Long, String> known =
        issued.computeIfAbsent(partner, p -> new ConcurrentHashMap<>());
    String id = known.get(user.value());
    if (id == null) {
      id = encrypt(partner, user);
      if (known.size() >= ISSUED_LIMIT) {
        known.clear();
      }
      known.put(user.value(), id);
    }
    return id;
  }

  private String encrypt(PartyId partner, UserId user) {
    try {
      Cipher c = encrypt.get();
      c.init(Cipher.ENCRYPT_MODE, key(partner));
      byte[] block = c.doFinal(ByteBuffer.allocate(16).putLong(user.value()).array());
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(block);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "AES failed on one block", e); // INVARIANT: 16-byte input, valid key
    }
  }

  /**
   * @return the user behind a partner-scoped id, or empty when it is not one of {@code partner}'s
   *     ids
   */
  public Optional<UserId> resolve(PartyId partner, String id) {
    if (id == null || id.length() != 24 || !id.startsWith(PREFIX)) {
      return Optional.empty();
    }
    byte[] block;
    try {
      block = Base64.getUrlDecoder().decode(id.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (block.length != 16) {
      return Optional.empty();
    }
    try {
      Cipher c = decrypt.get();
      c.init(Cipher.DECRYPT_MODE, key(partner));
      ByteBuffer plain = ByteBuffer.wrap(c.doFinal(block));
      long user = plain.getLong();
      if (plain.getLong() != 0 || user <= 0) {
        return Optional.empty();
      }
      return Optional.of(UserId.of(user));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "PartnerIds[AES-128, key=****]";
  }
}
