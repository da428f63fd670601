package org.datapact.core;

/**
 * Stable kinds of failure. The {@link #slug()} is part of the public contract: HTTP problem
 * documents use it in their {@code type} and clients may switch on it, so a slug never changes
 * meaning once released.
 */
public enum ErrorKind {
  /** The caller sent something malformed or contradictory. */
  INVALID_INPUT("invalid-input", 400),
  /** The caller did not say who it is, or its credentials are wrong or expired. */
  UNAUTHENTICATED("unauthenticated", 401),
  /** The caller is known but may not do this. */
  FORBIDDEN("forbidden", 403),
  /** The named thing does not exist (or the caller may not know that it does). */
  NOT_FOUND("not-found", 404),
  /** The request conflicts with the current state. */
  CONFLICT("conflict", 409),
  /** The request body is larger than this endpoint accepts. */
  PAYLOAD_TOO_LARGE("payload-too-large", 413),
  /**
   * The request body is not of a media type this endpoint reads (e.g. not {@code
   * application/json}).
   */
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415),
  /** The caller has sent too many requests. */
  RATE_LIMITED("rate-limited", 429),
  /** A component DataPact needs (database, disk, port) is not usable. */
  UNAVAILABLE("unavailable", 503),
  /** Configuration is wrong; the message names the setting. */
  CONFIGURATION("configuration", 500);

  private final String slug;
  private final int httpStatus;

  ErrorKind(String slug, int httpStatus) {
    this.slug = slug;
    this.httpStatus = httpStatus;
  }

  /**
   * @return the stable, lowercase, hyphenated name of this kind
   */
  public String slug() {
    return slug;
  }

  /**
   * @return the HTTP status that represents this kind
   */
  public int httpStatus() {
    return httpStatus;
  }
}
