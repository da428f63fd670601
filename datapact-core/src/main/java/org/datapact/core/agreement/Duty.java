package org.datapact.core.agreement;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.datapact.core.party.PartyId;

/**
 * An ODRL duty: something a party must do. Either a periodic {@link Report} of a metric (e.g.
 * monthly {@code recommendation_sends}, due 10 days after the period) or a guaranteed {@link Spend}
 * in a calendar year. Sealed, and read through {@link #match}, which takes one function per kind:
 * when a third kind arrives, every reader stops compiling until it handles it (Java 17 has no
 * pattern switch).
 */
public sealed interface Duty permits Duty.Report, Duty.Spend {

  /**
   * @return unique within the agreement version
   */
  String id();

  /**
   * @return who owes it
   */
  PartyId party();

  /**
   * @return the ODRL-facing kind name, {@code report} or {@code spend}
   */
  String kindName();

  /**
   * @return {@code report} applied to a report, {@code spend} to a spend
   */
  <T> T match(
      Function<? super Report, ? extends T> report, Function<? super Spend, ? extends T> spend);

  /**
   * Report a metric every period.
   *
   * @param id unique within the agreement version
   * @param party who owes it
   * @param metric the metric's name, e.g. {@code recommendation_sends}
   * @param period {@code month}, {@code quarter} or {@code year}
   * @param dueAfterDays days after the period's end it is due
   * @param graceDays days after the due date before dependent permissions are suspended
   * @param tolerancePercent how far, in percent of DataPact's own count, a filed figure may differ
   *     before reconciliation flags it (at least {@link #TOLERANCE_FLOOR} events)
   * @param gates the ids of the version's permissions that depend on the duty: while a period's
   *     report is missing past its due date and grace, the decision point denies them
   */
  record Report(
      String id,
      PartyId party,
      String metric,
      String period,
      int dueAfterDays,
      int graceDays,
      int tolerancePercent,
      Set<String> gates)
      implements Duty {
    private static final Set<String> PERIODS = Set.of("month", "quarter", "year");

    /** The tolerance when the agreement sets none, in percent. */
    public static final int DEFAULT_TOLERANCE_PERCENT = 5;

    /** The tolerance's floor, in events: small periods are not flagged for a handful. */
    public static final int TOLERANCE_FLOOR = 5;

    /** Validates. */
    public Report {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(party, "party");
      if (metric == null || !metric.matches("[a-z][a-z0-9_]{1,63}")) {
        throw new IllegalArgumentException(
            "report duty `" + id + "` needs a metric name such as `recommendation_sends`");
      }
      if (period == null || !PERIODS.contains(period)) {
        throw new IllegalArgumentException(
            "report duty `" + id + "`: period `" + period + "` must be month, quarter or year");
      }
      if (dueAfterDays < 0 || graceDays < 0 || dueAfterDays > 366 || graceDays > 366) {
        throw new IllegalArgumentException(
            "report duty `" + id + "`: due and grace days must be from 0 to 366");
      }
      if (tolerancePercent < 0 || tolerancePercent > 100) {
        throw new IllegalArgumentException(
            "report duty `" + id + "`: tolerance must be from 0 to 100 percent");
      }
      gates = Set.copyOf(gates);
    }

    /**
     * @return the largest difference from DataPact's own count {@code observed} that is not a
     *     discrepancy
     */
    public long tolerance(long observed) {
      // observed counts are at most 10^12 (what a report may carry), so the product fits a long
      return Math.max(TOLERANCE_FLOOR, observed * tolerancePercent / 100);
    }

    @Override
    public String kindName() {
      return "report";
    }

    @Override
    public <T> T match(
        Function<? super Report, ? extends T> report, Function<? super Spend, ? extends T> spend) {
      return report.apply(this);
    }
  }

  /**
   * Spend at least an amount in a calendar year.
   *
   * @param id unique within the agreement version
   * @param party who owes it
   * @param amount the least amount, positive
   * @param currency the ISO 4217 currency
   * @param year the calendar year
   */
  record Spend(String id, PartyId party, BigDecimal amount, String currency, int year)
      implements Duty {
    /** Validates. */
    public Spend {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(party, "party");
      if (amount == null || amount.signum() <= 0) {
        throw new IllegalArgumentException("spend duty `" + id + "` needs a positive amount");
      }
      if (currency == null || !currency.matches("[A-Z]{3}")) {
        throw new IllegalArgumentException(
            "spend duty `" + id + "`: currency `" + currency + "` must be an ISO 4217 code");
      }
      if (year < 1970 || year > 9999) {
        throw new IllegalArgumentException(
            "spend duty `" + id + "`: year `" + year + "` is not a calendar year");
      }
    }

    @Override
    public String kindName() {
      return "spend";
    }

    @Override
    public <T> T match(
        Function<? super Report, ? extends T> report, Function<? super Spend, ? extends T> spend) {
      return spend.apply(this);
    }
  }

  /**
   * @return a report duty with the default tolerance that gates no permission
   */
  static Duty report(
      String id, PartyId party, String metric, String period, int dueAfterDays, int graceDays) {
    return new Report(
        id,
        party,
        metric,
        period,
        dueAfterDays,
        graceDays,
        Report.DEFAULT_TOLERANCE_PERCENT,
        Set.of());
  }

  /**
   * @return a guaranteed-spend duty
   */
  static Duty spend(String id, PartyId party, BigDecimal amount, String currency, int year) {
    return new Spend(id, party, amount, currency, year);
  }
}
