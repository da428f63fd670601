package org.datapact.ledger.checkpoint;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * The log's Ed25519 signing key on disk: {@code <name>.key} holds the private key (PKCS#8, base64,
 * owner-only permissions) and {@code <name>.pub} the public key, {@code <name>.vkey} the C2SP
 * verifier key that regulators use with {@code datapact ledger verify}. Created on first use,
 * loaded after. The private key never leaves this class except as a {@link KeyPair} for signing.
 */
public final class SigningKeys {
  private final String name;
  private final KeyPair keys;

  private SigningKeys(String name, KeyPair keys) {
    this.name = name;
    this.keys = keys;
  }

  /**
   * Loads the key named {@code name} from {@code dir}, creating it (and its public files) if
   * absent.
   *
   * @throws IOException if the files cannot be read or written, or hold no Ed25519 key
   */
  public static SigningKeys loadOrCreate(Path dir, String name) throws IOException {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-z][a-z0-9-]{1,62}")) {
      throw new IllegalArgumentException("key name `" + name + "` must be a lowercase slug");
    }
    Files.createDirectories(dir);
    Path privateFile = dir.resolve(name + ".key");
    if (!Files.exists(privateFile)) {
      KeyPair fresh = Notes.generateKeyPair();
      try {
        Files.writeString(
            privateFile,
            Base64.getEncoder().encodeToString(fresh.getPrivate().getEncoded()) + "\n",
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        restrict(privateFile);
        byte[] raw = Notes.rawPublicKey(fresh.getPublic());
        Files.writeString(
            dir.resolve(name + ".pub"), Base64.getEncoder().encodeToString(raw) + "\n");
        Files.writeString(dir.resolve(name + ".vkey"), Notes.verifierKey(name, raw) + "\n");
        return new SigningKeys(name, fresh);
      } catch (FileAlreadyExistsException raced) {
        // another process created it first: load theirs
      }
    }
    try {
      byte[] pkcs8 = Base64.getDecoder().decode(Files.readString(privateFile).strip());
      PrivateKey priv =
          KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      byte[] raw = Base64.getDecoder().decode(Files.readString(dir.resolve(name + ".pub")).strip());
      return new SigningKeys(name, new KeyPair(Notes.publicKey(raw), priv));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("`" + privateFile + "` does not hold an Ed25519 private key", e);
    }
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // INVARIANT: on a non-POSIX file system the directory's own permissions protect the key
    }
  }

  /**
   * @return the key's name, which signatures carry
   */
  public String name() {
    return name;
  }

  /**
   * @return the key pair, for signing checkpoints
   */
  public KeyPair pair() {
    return keys;
  }

  /**
   * @return the raw 32-byte public key
   */
  public byte[] rawPublicKey() {
    return Notes.rawPublicKey(keys.getPublic());
  }

  /**
   * @return the C2SP verifier key
   */
  public String verifierKey() {
    return Notes.verifierKey(name, rawPublicKey());
  }

  /** Never shows the private key. */
  @Override
  public String toString() {
    return "SigningKeys[" + name + ", private=****]";
  }
}
