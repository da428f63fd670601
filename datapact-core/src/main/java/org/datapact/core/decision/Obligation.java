package org.datapact.core.decision;

import java.util.Objects;

/**
 * Something the enforcement point must do when releasing allowed data.
 *
 * @param kind {@code minimise} (value: the minimisation), {@code aggregate_only} (value: the
 *     minimum cohort size) or {@code rate_limit} (value: {@code n/PTxS})
 * @param value the parameter
 */
public record Obligation(String kind, String value) {
  /** Validates. */
  public Obligation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
  }
}
