package org.datapact.core.ads;

import java.util.Locale;

/** How a campaign pays: per thousand impressions, or per click. */
public enum BidKind {
  /** Cost per mille: the bid is cents per thousand impressions. */
  CPM,
  /** Cost per click: the bid is cents per click. */
  CPC;

  /**
   * @return the wire name, {@code cpm} or {@code cpc}
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for anything but {@code cpm} or {@code cpc}
   */
  public static BidKind fromWire(String wire) {
    for (BidKind k : values()) {
      if (k.wire().equals(wire)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown bid kind `" + wire + "`; known: cpm, cpc");
  }
}
