package org.datapact.core.user;

/**
 * The platform's internal identifier of a user. It never leaves the platform towards a partner:
 * partners see partner-scoped pseudonymous ids instead.
 *
 * @param value a positive number
 */
public record UserId(long value) implements Comparable<UserId> {
  /** Validates that the id is positive. */
  public UserId {
    if (value <= 0) {
      throw new IllegalArgumentException("user id must be positive, got `" + value + "`");
    }
  }

  /**
   * @return the user id for {@code value}
   */
  public static UserId of(long value) {
    return new UserId(value);
  }

  @Override
  public int compareTo(UserId o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
