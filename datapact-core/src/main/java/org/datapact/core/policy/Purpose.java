package org.datapact.core.policy;

import java.util.List;

/**
 * Why data is used. Each purpose keeps its mapping to the IAB TCF v2.2 purposes (by number) that
 * cover it, so consent signals can be exchanged with ad-tech systems.
 */
public enum Purpose {
  /** Showing a user's activity to their friends. No TCF purpose covers it. */
  SOCIAL_SHARING("social_sharing", List.of()),
  /** Recommending content (TCF 5 and 6: personalised content profiles and their use). */
  RECOMMENDATIONS("recommendations", List.of(5, 6)),
  /** Selecting ads for a user (TCF 3 and 4: personalised advertising profiles and their use). */
  AD_TARGETING("ad_targeting", List.of(3, 4)),
  /** Measuring ad performance (TCF 7). */
  AD_MEASUREMENT("ad_measurement", List.of(7)),
  /** Ranking a feed (TCF 5, 6 and 11: content profiles, and limited data to select content). */
  RANKING("ranking", List.of(5, 6, 11)),
  /** Statistics and audience understanding (TCF 8 and 9). */
  ANALYTICS("analytics", List.of(8, 9));

  private final String wire;
  private final List<Integer> tcfPurposes;

  Purpose(String wire, List<Integer> tcfPurposes) {
    this.wire = wire;
    this.tcfPurposes = tcfPurposes;
  }

  /**
   * @return the wire name, e.g. {@code ad_targeting}
   */
  public String wire() {
    return wire;
  }

  /**
   * @return the IAB TCF v2.2 purpose ids covering this purpose (empty when none does)
   */
  public List<Integer> tcfPurposes() {
    return tcfPurposes;
  }

  /**
   * @return the purpose with this wire name
   * @throws IllegalArgumentException naming the unknown purpose and the known ones
   */
  public static Purpose fromWire(String wire) {
    return Names.WIRE.of(wire);
  }

  /** Holder: enum constants are initialised before this, so the lookup can list them. */
  private static final class Names {
    static final WireNames<Purpose> WIRE =
        new WireNames<>(values(), Purpose::wire, "purpose", "purposes");
  }
}
