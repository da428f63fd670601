package org.datapact.ledger.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Signs and verifies checkpoints as C2SP signed notes with Ed25519 (the JDK's own implementation):
 * the body, a blank line, then {@code — <name> <base64(key id ‖ signature)>}, where the key id is
 * the first four bytes of {@code SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)}. Existing
 * transparency-log tooling reads this format.
 *
 * <p>Thread-safe.
 */
public final class Notes {
  private static final byte[] ED25519_X509_PREFIX =
      java.util.HexFormat.of().parseHex("302a300506032b6570032100");
  private static final String DASH = "\u2014 ";

  private Notes() {}

  /**
   * @return a new Ed25519 key pair
   */
  public static KeyPair generateKeyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks Ed25519", e); // INVARIANT: Java 15+ has it
    }
  }

  /**
   * @return the raw 32-byte Ed25519 public key
   */
  public static byte[] rawPublicKey(PublicKey key) {
    byte[] encoded = key.getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
  }

  /**
   * @return the public key for 32 raw bytes
   */
  public static PublicKey publicKey(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + raw.length);
    }
    byte[] x509 =
        ByteBuffer.allocate(ED25519_X509_PREFIX.length + 32)
            .put(ED25519_X509_PREFIX)
            .put(raw)
            .array();
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  /**
   * @return the C2SP signed-note verifier key for a named Ed25519 public key: {@code <name>+<key id
   *     hex>+<base64(0x01 ‖ key)>}
   */
  public static String verifierKey(String name, byte[] rawPublicKey) {
    byte[] typed = ByteBuffer.allocate(33).put((byte) 0x01).put(rawPublicKey).array();
    return name
        + "+"
        + java.util.HexFormat.of().formatHex(keyId(name, rawPublicKey))
        + "+"
        + Base64.getEncoder().encodeToString(typed);
  }

  /**
   * A parsed verifier key.
   *
   * @param name the key's name
   * @param rawPublicKey the 32-byte Ed25519 key
   */
  public record VerifierKey(String name, byte[] rawPublicKey) {}

  /**
   * @return the name and key of a C2SP verifier key
   * @throws IllegalArgumentException naming what is wrong
   */
  public static VerifierKey parseVerifierKey(String text) {
    String[] parts = text.strip().split("\\+", 3); // the base64 key may itself contain +
    if (parts.length != 3) {
      throw new IllegalArgumentException("a verifier key is `name+keyid+base64key`");
    }
    byte[] typed;
    try {
      typed = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the verifier key's key is not base64");
    }
    if (typed.length != 33 || typed[0] != 0x01) {
      throw new IllegalArgumentException("the verifier key is not an Ed25519 key");
    }
    byte[] raw = Arrays.copyOfRange(typed, 1, 33);
    if (!java.util.HexFormat.of().formatHex(keyId(parts[0], raw)).equals(parts[1])) {
      throw new IllegalArgumentException("the verifier key's id does not match its name and key");
    }
    return new VerifierKey(parts[0], raw);
  }

  /**
   * @return the C2SP key id of a named Ed25519 key
   */
  public static byte[] keyId(String name, byte[] rawPublicKey) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(name.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0x0A);
      sha.update((byte) 0x01);
      sha.update(rawPublicKey);
      return Arrays.copyOf(sha.digest(), 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }

  /**
   * @return the signed note of {@code checkpoint} under {@code name}'s key
   */
  public static String sign(
      Checkpoint checkpoint, String name, PrivateKey key, PublicKey publicKey) {
    if (name.isBlank() || name.contains(" ") || name.contains("+") || name.contains("\n")) {
      throw new IllegalArgumentException("key name `" + name + "` must be one word without `+`");
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(checkpoint.bodyBytes());
      byte[] sig = s.sign();
      byte[] blob =
          ByteBuffer.allocate(4 + sig.length)
              .put(keyId(name, rawPublicKey(publicKey)))
              .put(sig)
              .array();
      return checkpoint.body()
          + "\n"
          + DASH
          + name
          + " "
          + Base64.getEncoder().encodeToString(blob)
          + "\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a checkpoint", e);
    }
  }

  /**
   * Verifies a signed note and parses its checkpoint.
   *
   * @throws IllegalArgumentException naming what is wrong: the shape, the key, or the signature
   */
  public static Checkpoint verify(String note, String name, byte[] rawPublicKey) {
    String body = body(note);
    for (byte[] blob : signatures(note, name, keyId(name, rawPublicKey), 68, "signature")) {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(publicKey(rawPublicKey));
        s.update(body.getBytes(StandardCharsets.UTF_8));
        if (!s.verify(Arrays.copyOfRange(blob, 4, 68))) {
          throw new IllegalArgumentException("the signature of `" + name + "` does not verify");
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "the signature of `" + name + "` cannot be checked: " + e.getMessage());
      }
      return parse(body);
    }
    throw new IllegalArgumentException("no signature by key `" + name + "` on this note");
  }

  /**
   * @return a signed note's body: its text up to and including the blank line's first newline
   * @throws IllegalArgumentException when it is not a signed note
   */
  static String body(String note) {
    int split = note.indexOf("\n\n");
    if (split < 0) {
      throw new IllegalArgumentException(
          "not a signed note: no blank line between body and signatures");
    }
    return note.substring(0, split + 1);
  }

  /**
   * @return the decoded signatures on {@code note} by {@code name} whose key id is {@code keyId}
   *     and whose length is {@code length} (others, of other keys or types, are skipped)
   * @throws IllegalArgumentException when a line of {@code name} is not base64 ({@code what} names
   *     the kind of signature)
   */
  static java.util.List<byte[]> signatures(
      String note, String name, byte[] keyId, int length, String what) {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    for (String line : note.substring(body(note).length() + 1).split("\n")) {
      if (!line.startsWith(DASH + name + " ")) {
        continue;
      }
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(line.substring(DASH.length() + name.length() + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + " of `" + name + "` is not base64");
      }
      if (blob.length == length && MessageDigest.isEqual(Arrays.copyOf(blob, 4), keyId)) {
        out.add(blob);
      }
    }
    return out;
  }

  private static Checkpoint parse(String body) {
    String[] lines = body.split("\n");
    if (lines.length < 4 || !lines[3].startsWith("timestamp ")) {
      throw new IllegalArgumentException(
          "checkpoint body needs origin, size, root hash and a timestamp line");
    }
    try {
      return new Checkpoint(
          lines[0],
          Long.parseLong(lines[1]),
          Base64.getDecoder().decode(lines[2]),
          Instant.ofEpochMilli(Long.parseLong(lines[3].substring("timestamp ".length()))));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("checkpoint size or timestamp is not a number");
    }
  }
}
