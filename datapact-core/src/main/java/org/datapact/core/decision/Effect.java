package org.datapact.core.decision;

import java.util.Locale;

/** The outcome of a decision. */
public enum Effect {
  /** The release may happen, under the decision's obligations. */
  ALLOW,
  /** It may not. */
  DENY;

  /**
   * @return the lowercase wire name
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
