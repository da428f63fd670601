package org.datapact.core.decision;

import java.util.Locale;

/** Machine-readable reasons: which rule allowed or denied. */
public enum ReasonCode {
  /** A permission of an active agreement version allowed it. */
  PERMITTED,
  /** The principal has no active agreement version at the time. */
  NO_ACTIVE_AGREEMENT,
  /** Active versions exist but none permits this scope for this purpose. */
  NO_PERMISSION,
  /** The permission's own validity window does not cover the time. */
  OUTSIDE_VALIDITY_WINDOW,
  /** The subject user is not known to the snapshot. */
  UNKNOWN_SUBJECT,
  /** The subject has not consented (or has revoked) for this party and purpose. */
  NO_CONSENT,
  /** The consent has expired. */
  CONSENT_EXPIRED,
  /** The jurisdiction requires explicit consent, and this one came with accepting terms. */
  CONSENT_NOT_EXPLICIT,
  /**
   * The jurisdiction requires a special consent (e.g. US video sharing) that is missing or lapsed.
   */
  SPECIAL_CONSENT_MISSING,
  /** A prohibition on the data's labels forbids this use. */
  PROHIBITED,
  /** The subject's jurisdiction is outside the permission's constraints. */
  JURISDICTION_EXCLUDED,
  /** The rate limit is exhausted. */
  RATE_LIMITED,
  /**
   * The permission allows only aggregates over a minimum cohort; a release about one user is
   * refused.
   */
  AGGREGATE_ONLY,
  /**
   * A recipient of a message may not receive it: not a friend of the sender, or the decision point
   * does not allow the partner on them (their consent). Which of the two is never said.
   */
  RECIPIENT_REFUSED,
  /**
   * A report duty the permission depends on was not met: a period's report is missing past its due
   * date and grace. Lifted as soon as it is filed.
   */
  DUTY_OVERDUE,
  /** A term could not be evaluated; the decision point denies rather than guess. */
  EVALUATION_ERROR;

  /**
   * @return the lowercase wire name
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
