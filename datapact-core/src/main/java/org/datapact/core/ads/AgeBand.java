package org.datapact.core.ads;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A user's age band, as the platform holds it (never a birth date). */
public enum AgeBand {
  /** 13 to 17. */
  TEEN("13-17"),
  /** 18 to 24. */
  YOUNG_ADULT("18-24"),
  /** 25 to 34. */
  ADULT_25("25-34"),
  /** 35 to 44. */
  ADULT_35("35-44"),
  /** 45 to 54. */
  ADULT_45("45-54"),
  /** 55 to 64. */
  ADULT_55("55-64"),
  /** 65 and over. */
  SENIOR("65+");

  private final String wire;

  AgeBand(String wire) {
    this.wire = wire;
  }

  /**
   * @return the wire name, e.g. {@code 25-34}
   */
  public String wire() {
    return wire;
  }

  /**
   * @throws IllegalArgumentException naming the known bands
   */
  public static AgeBand fromWire(String wire) {
    for (AgeBand b : values()) {
      if (b.wire.equals(wire)) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "unknown age band `"
            + wire
            + "`; known: "
            + Arrays.stream(values()).map(AgeBand::wire).collect(Collectors.joining(", ")));
  }
}
