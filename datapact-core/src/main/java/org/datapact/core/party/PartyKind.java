package org.datapact.core.party;

import java.util.Locale;

/** What a party is to the platform. */
public enum PartyKind {
  /** The platform operator itself. */
  PLATFORM,
  /** An outside company that calls the partner API. */
  PARTNER,
  /** An internal product unit (ads, watch, ranking) that asks before using data. */
  UNIT;

  /**
   * @return the lowercase wire name
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
