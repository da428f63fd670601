package org.datapact.core.policy;

/** What a datum is about, with the Fides taxonomy data category it corresponds to. */
public enum DataCategory {
  /** Name and contact details (Fides {@code user.contact}). */
  CONTACT("contact", "user.contact"),
  /** Who is friends with whom (Fides {@code user.social}). */
  SOCIAL_GRAPH("social_graph", "user.social"),
  /** Private messages (Fides {@code user.content.private}). */
  PRIVATE_MESSAGE("private_message", "user.content.private"),
  /** What a user watched (Fides {@code user.behavior.media_consumption}). */
  VIDEO_VIEWING("video_viewing", "user.behavior.media_consumption"),
  /** Ad impressions and clicks (Fides {@code user.behavior}). */
  AD_INTERACTION("ad_interaction", "user.behavior"),
  /**
   * Age band, country and declared interests the platform holds (Fides {@code user.demographic}).
   */
  DEMOGRAPHIC("demographic", "user.demographic");

  private final String wire;
  private final String fides;

  DataCategory(String wire, String fides) {
    this.wire = wire;
    this.fides = fides;
  }

  /**
   * @return the wire name, e.g. {@code video_viewing}
   */
  public String wire() {
    return wire;
  }

  /**
   * @return the Fides taxonomy key
   */
  public String fides() {
    return fides;
  }

  /**
   * @return the category with this wire name
   * @throws IllegalArgumentException naming the unknown category and the known ones
   */
  public static DataCategory fromWire(String wire) {
    return Names.WIRE.of(wire);
  }

  /** Holder: enum constants are initialised before this, so the lookup can list them. */
  private static final class Names {
    static final WireNames<DataCategory> WIRE =
        new WireNames<>(values(), DataCategory::wire, "data category", "categories");
  }
}
