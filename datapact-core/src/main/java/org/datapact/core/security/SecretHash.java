package org.datapact.core.security;

import java.util.Objects;

/**
 * The stored, one-way form of a secret, in the text format {@code pbkdf2-sha256$<iterations>$<salt,
 * base64>$<hash, base64>}. Produced and checked by {@link SecretHasher}.
 *
 * @param encoded the encoded hash
 */
public record SecretHash(String encoded) {
  /** Validates the shape of the encoding. */
  public SecretHash {
    Objects.requireNonNull(encoded, "encoded");
    String[] parts = encoded.split("\\$");
    if (parts.length != 4 || !parts[0].equals(SecretHasher.ALGORITHM_ID)) {
      throw new IllegalArgumentException(
          "secret hash is not in the `pbkdf2-sha256$n$salt$hash` format");
    }
  }

  /** Shows the algorithm only: the hash itself is not for logs either. */
  @Override
  public String toString() {
    return "SecretHash[" + SecretHasher.ALGORITHM_ID + "]";
  }
}
