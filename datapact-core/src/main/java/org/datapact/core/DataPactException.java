package org.datapact.core;

import java.util.Objects;

/**
 * The one checked exception family of DataPact: every failure a caller can act on carries an {@link
 * ErrorKind} that names it in a stable, machine-readable way.
 *
 * <p>Messages follow the project's error style: lowercase, no final period, user input in
 * backticks, and they say what was wrong and, where it helps, what to do. Messages MUST NOT contain
 * secrets, keys or personal data beyond an identifier the caller already sent.
 */
public class DataPactException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;

  /**
   * @param kind what went wrong, never null
   * @param message what was wrong and what to do, never null
   */
  public DataPactException(ErrorKind kind, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * @param kind what went wrong, never null
   * @param message what was wrong and what to do, never null
   * @param cause the underlying failure, kept for logs only
   */
  public DataPactException(ErrorKind kind, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * @return how many seconds a client should wait before retrying a {@link ErrorKind#RATE_LIMITED}
   *     or {@link ErrorKind#UNAVAILABLE} failure: {@code Retry-After}. One second unless a subclass
   *     knows better (a token bucket knows when its next token comes).
   */
  public long retryAfterSeconds() {
    return 1;
  }

  /**
   * @return the stable kind of this failure
   */
  public ErrorKind kind() {
    return kind;
  }

  /** Shorthand for an {@link ErrorKind#INVALID_INPUT} failure. */
  public static DataPactException invalid(String message) {
    return new DataPactException(ErrorKind.INVALID_INPUT, message);
  }

  /** Shorthand for a {@link ErrorKind#NOT_FOUND} failure. */
  public static DataPactException notFound(String message) {
    return new DataPactException(ErrorKind.NOT_FOUND, message);
  }
}
