package org.datapact.ledger.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * Witness cosignatures in the C2SP {@code tlog-cosignature} format (Ed25519, {@code
 * cosignature/v1}): a note signature line {@code — <witness> base64(key id ‖ u64 timestamp ‖
 * signature)} where the key id is the first four bytes of {@code SHA-256(name ‖ 0x0A ‖ 0x04 ‖
 * public key)} and the signed message is {@code "cosignature/v1\n" ‖ "time <timestamp>\n" ‖} the
 * checkpoint's whole note body. A cosignature says: as of that time, this is the largest tree head
 * consistent with everything the witness has seen of the log.
 *
 * <p>Thread-safe.
 */
public final class Cosignatures {
  private static final String DASH = "\u2014 ";
  private static final byte TYPE = 0x04;

  private Cosignatures() {}

  /**
   * @return the key id of a named cosigner key
   */
  public static byte[] keyId(String name, byte[] rawPublicKey) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(name.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0x0A);
      sha.update(TYPE);
      sha.update(rawPublicKey);
      return Arrays.copyOf(sha.digest(), 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }

  /**
   * @return the cosigner's verifier key, {@code <name>+<key id hex>+<base64(0x04 ‖ key)>}
   */
  public static String verifierKey(String name, byte[] rawPublicKey) {
    byte[] typed = ByteBuffer.allocate(33).put(TYPE).put(rawPublicKey).array();
    return name
        + "+"
        + HexFormat.of().formatHex(keyId(name, rawPublicKey))
        + "+"
        + Base64.getEncoder().encodeToString(typed);
  }

  /**
   * @return the name and key of a cosigner verifier key
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Notes.VerifierKey parseVerifierKey(String text) {
    String[] parts = text.strip().split("\\+", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("a witness key is `name+keyid+base64key`");
    }
    byte[] typed;
    try {
      typed = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the witness key's key is not base64");
    }
    if (typed.length != 33 || typed[0] != TYPE) {
      throw new IllegalArgumentException("not an Ed25519 cosignature/v1 key (type 0x04)");
    }
    byte[] raw = Arrays.copyOfRange(typed, 1, 33);
    if (!HexFormat.of().formatHex(keyId(parts[0], raw)).equals(parts[1])) {
      throw new IllegalArgumentException("the witness key's id does not match its name and key");
    }
    return new Notes.VerifierKey(parts[0], raw);
  }

  private static byte[] message(String body, long timestamp) {
    return ("cosignature/v1\ntime " + timestamp + "\n" + body).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @param body the checkpoint's note body (ending with a newline, without signature lines)
   * @param timestamp seconds since the epoch
   * @return the cosignature line (ending with a newline)
   */
  public static String cosign(
      String body, String name, PrivateKey key, byte[] rawPublicKey, long timestamp) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(message(body, timestamp));
      byte[] blob =
          ByteBuffer.allocate(4 + 8 + 64)
              .put(keyId(name, rawPublicKey))
              .putLong(timestamp)
              .put(s.sign())
              .array();
      return DASH + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot cosign", e);
    }
  }

  /**
   * @return the note's body: its text up to and including the blank line's first newline
   * @throws IllegalArgumentException when it is not a signed note
   */
  public static String body(String note) {
    return Notes.body(note);
  }

  /**
   * Finds and checks {@code name}'s cosignature on a note.
   *
   * @return the cosignature's timestamp, or empty when the note carries no cosignature of that key
   * @throws IllegalArgumentException when it carries one that does not verify
   */
  public static OptionalLong verify(String note, String name, byte[] rawPublicKey) {
    String body = body(note);
    for (byte[] blob :
        Notes.signatures(note, name, keyId(name, rawPublicKey), 76, "the cosignature")) {
      long timestamp = ByteBuffer.wrap(blob, 4, 8).getLong();
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(Notes.publicKey(rawPublicKey));
        s.update(message(body, timestamp));
        if (!s.verify(Arrays.copyOfRange(blob, 12, 76))) {
          throw new IllegalArgumentException("the cosignature of `" + name + "` does not verify");
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("the cosignature of `" + name + "` cannot be checked");
      }
      return OptionalLong.of(timestamp);
    }
    return OptionalLong.empty();
  }
}
