package org.datapact.core.agreement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An agreement version with its append-only status history. The version decides at time {@code t}
 * when its latest status change at or before {@code t} is {@link AgreementStatus#ACTIVE} and {@code
 * t} is in its effective window.
 *
 * @param terms the version's immutable terms
 * @param history status changes, in time order
 */
public record AgreementRecord(AgreementVersion terms, List<StatusChange> history) {
  /** Validates the history's order and transitions. */
  public AgreementRecord {
    Objects.requireNonNull(terms, "terms");
    history = List.copyOf(history);
    for (int i = 1; i < history.size(); i++) {
      if (history.get(i).at().isBefore(history.get(i - 1).at())) {
        throw new IllegalArgumentException(terms.ref() + ": status history is not in time order");
      }
    }
  }

  /**
   * A status change.
   *
   * @param status the new status
   * @param at when
   * @param by who made it (an operator handle, or {@code system})
   */
  public record StatusChange(AgreementStatus status, Instant at, String by) {
    /** Validates. */
    public StatusChange {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(by, "by");
    }
  }

  /**
   * @return the status at time {@code t} ({@code draft} before any change)
   */
  public AgreementStatus statusAt(Instant t) {
    AgreementStatus s = AgreementStatus.DRAFT;
    for (StatusChange c : history) {
      if (c.at().isAfter(t)) {
        break;
      }
      s = c.status();
    }
    return s;
  }

  /**
   * @return whether this version decides at {@code t}
   */
  public boolean activeAt(Instant t) {
    return statusAt(t) == AgreementStatus.ACTIVE
        && !t.isBefore(terms.effectiveFrom())
        && (terms.effectiveUntil() == null || t.isBefore(terms.effectiveUntil()));
  }

  /**
   * @return whether this version decides at some instant of [{@code from}, {@code until}): what
   *     makes a period one its report duties cover
   */
  public boolean activeDuring(Instant from, Instant until) {
    if (activeAt(from)) {
      return true;
    }
    Instant start = terms.effectiveFrom();
    if (start.isAfter(from) && start.isBefore(until) && activeAt(start)) {
      return true;
    }
    for (StatusChange c : history) {
      if (c.at().isAfter(from) && c.at().isBefore(until) && activeAt(c.at())) {
        return true;
      }
    }
    return false;
  }

  /**
   * @return this record with one more status change appended
   */
  public AgreementRecord with(StatusChange change) {
    List<StatusChange> h = new ArrayList<>(history);
    h.add(change);
    return new AgreementRecord(terms, h);
  }
}
