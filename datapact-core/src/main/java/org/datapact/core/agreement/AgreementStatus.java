package org.datapact.core.agreement;

import java.util.Locale;

/**
 * The lifecycle of an agreement version: draft → pending approval → active → suspended | terminated
 * | expired.
 */
public enum AgreementStatus {
  /** Being written; decides nothing. */
  DRAFT,
  /** Waiting for two approvers; decides nothing. */
  PENDING_APPROVAL,
  /** In force: decides requests in its validity window. */
  ACTIVE,
  /** Temporarily not in force (e.g. a missed duty). */
  SUSPENDED,
  /** Ended by a party. */
  TERMINATED,
  /** Ended by its validity window. */
  EXPIRED;

  /**
   * @return the lowercase wire name
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @return the status with this wire name
   */
  public static AgreementStatus fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
