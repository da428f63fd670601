package org.datapact.core.security;

import java.util.Objects;

/**
 * A secret (a client secret, a password) that must never reach a log, an exception or a {@code
 * toString()}. The only way to read it is {@link #revealForHashingOrDisplayOnce()}, a name that is
 * easy to grep for.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** Wraps {@code value}; it must not be null or empty. */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new Secret(value);
  }

  /**
   * Returns the raw secret. Call it only to hash it, or to hand it once to the party it belongs to
   * (the demo cast file).
   */
  public String revealForHashingOrDisplayOnce() {
    return value;
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "Secret[****]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s
        && java.security.MessageDigest.isEqual(
            value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return 0; // INVARIANT: no information about the secret leaks through hashCode
  }
}
