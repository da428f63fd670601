package org.datapact.core.world;

import java.util.Locale;

/** The role of a console account. */
public enum ConsoleRole {
  /** Platform operator: registers partners, drafts and approves agreements. */
  OPERATOR,
  /** Regulator or auditor: reads compliance reports, verifies the log. */
  REGULATOR,
  /** A partner's staff member: reads their partner's agreement and usage. */
  PARTNER;

  /**
   * @return the lowercase wire name
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
