package org.datapact.core.agreement;

import java.util.Locale;

/** How much of the data a permission releases; becomes an obligation on an allow. */
public enum Minimisation {
  /** No restriction beyond the scope. */
  NONE,
  /** Inbox: only threads the partner's app took part in. */
  APP_THREADS_ONLY,
  /** Inbox: every thread. */
  ALL_THREADS,
  /** Only aggregates over a minimum cohort may be used, never individual rows. */
  AGGREGATE_ONLY;

  /**
   * @return the lowercase wire name
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @return the value with this wire name
   */
  public static Minimisation fromWire(String wire) {
    try {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown minimisation `"
              + wire
              + "`; known: none, app_threads_only, all_threads, aggregate_only");
    }
  }
}
