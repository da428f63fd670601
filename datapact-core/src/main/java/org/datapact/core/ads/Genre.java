package org.datapact.core.ads;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A genre a partner's viewing signal names ({@code {"genre":"documentary"}}): partner data,
 * labelled with its source.
 */
public enum Genre {
  /** Drama. */
  DRAMA,
  /** Comedy. */
  COMEDY,
  /** Documentary. */
  DOCUMENTARY,
  /** Thriller. */
  THRILLER,
  /** Science fiction. */
  SCI_FI,
  /** Animation. */
  ANIMATION,
  /** Romance. */
  ROMANCE,
  /** Horror. */
  HORROR;

  /**
   * @return the wire name, e.g. {@code sci_fi}
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the known genres
   */
  public static Genre fromWire(String wire) {
    for (Genre g : values()) {
      if (g.wire().equals(wire)) {
        return g;
      }
    }
    throw new IllegalArgumentException(
        "unknown genre `"
            + wire
            + "`; known: "
            + Arrays.stream(values()).map(Genre::wire).collect(Collectors.joining(", ")));
  }
}
