package org.datapact.core.ads;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** An interest a user declared on the platform (first-party data). At most 32. */
public enum Interest {
  /** Sports. */
  SPORTS,
  /** Music. */
  MUSIC,
  /** Travel. */
  TRAVEL,
  /** Cooking. */
  COOKING,
  /** Gaming. */
  GAMING,
  /** Fashion. */
  FASHION,
  /** Technology. */
  TECHNOLOGY,
  /** Fitness. */
  FITNESS,
  /** Film and series. */
  FILM,
  /** Books. */
  BOOKS,
  /** News. */
  NEWS,
  /** Parenting. */
  PARENTING;

  /**
   * @return the wire name, e.g. {@code sports}
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @return this interest's bit in an interest mask
   */
  public int bit() {
    return 1 << ordinal();
  }

  /**
   * @throws IllegalArgumentException naming the known interests
   */
  public static Interest fromWire(String wire) {
    for (Interest i : values()) {
      if (i.wire().equals(wire)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "unknown interest `"
            + wire
            + "`; known: "
            + Arrays.stream(values()).map(Interest::wire).collect(Collectors.joining(", ")));
  }
}
