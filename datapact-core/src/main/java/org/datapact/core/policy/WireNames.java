package org.datapact.core.policy;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Lookup of a vocabulary enum by its wire name, with the error message every vocabulary uses:
 * {@code unknown <kind> `x`; known <kinds>: a, b, c}.
 *
 * @param <E> the enum
 */
final class WireNames<E extends Enum<E>> {
  private final Map<String, E> byWire;
  private final String kind;
  private final String known;

  WireNames(E[] values, Function<E, String> wire, String kind, String kinds) {
    this.byWire =
        Arrays.stream(values).collect(Collectors.toUnmodifiableMap(wire, Function.identity()));
    this.kind = kind;
    this.known =
        "; known "
            + kinds
            + ": "
            + Arrays.stream(values).map(wire).collect(Collectors.joining(", "));
  }

  /**
   * @throws IllegalArgumentException naming the unknown value and the known ones
   */
  E of(String wire) {
    E e = byWire.get(wire);
    if (e == null) {
      throw new IllegalArgumentException("unknown " + kind + " `" + wire + "`" + known);
    }
    return e;
  }
}
