package org.datapact.core.decision;

import java.util.Objects;

/**
 * Something the enforcement point must do when releasing allowed data.
 *
 * @param kind {@code minimise} (value: the minimisation), {@code aggregate_only} (value: the
 *     minimum cohort size), {@code rate_limit} (value: {@code n/PTxS}) or {@code link_domains}
 *     (for a send: the comma-separated domains its links may point to; empty for none)
 * @param value the parameter
 */
public record Obligation(String kind, String value) {
  /** Validates. */
  public Obligation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
  }
}
