package org.datapact.core.agreement;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import org.datapact.core.party.PartyId;

/**
 * An ODRL duty: something a party must do. Either a periodic report of a metric (e.g. monthly
 * {@code recommendation_sends}, due 10 days after the period) or a guaranteed spend in a calendar
 * year.
 *
 * @param id unique within the agreement version
 * @param kind report or spend
 * @param party who owes it
 * @param metric for a report, the metric's name; null for a spend
 * @param period for a report, {@code month}, {@code quarter} or {@code year}; null for a spend
 * @param dueAfterDays for a report, days after the period's end it is due
 * @param graceDays days after the due date before dependent permissions are suspended
 * @param amount for a spend, the amount; null for a report
 * @param currency for a spend, the ISO 4217 currency; null for a report
 * @param year for a spend, the calendar year; 0 for a report
 */
public record Duty(
    String id, Kind kind, PartyId party, String metric, String period, int dueAfterDays, int graceDays,
    BigDecimal amount, String currency, int year) {

  /** What kind of duty. */
  public enum Kind {
    /** Report a metric every period. */
    REPORT,
    /** Spend at least an amount in a year. */
    SPEND;

    /** @return the lowercase wire name */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates the fields each kind needs. */
  public Duty {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(party, "party");
    if (kind == Kind.REPORT) {
      if (metric == null || !metric.matches("[a-z][a-z0-9_]{1,63}")) {
        throw new IllegalArgumentException("report duty `" + id + "` needs a metric name such as `recommendation_sends`");
      }
      if (period == null || !(period.equals("month") || period.equals("quarter") || period.equals("year"))) {
        throw new IllegalArgumentException("report duty `" + id + "`: period `" + period + "` must be month, quarter or year");
      }
      if (dueAfterDays < 0 || graceDays < 0) {
        throw new IllegalArgumentException("report duty `" + id + "`: due and grace days must not be negative");
      }
    } else {
      if (amount == null || amount.signum() <= 0) {
        throw new IllegalArgumentException("spend duty `" + id + "` needs a positive amount");
      }
      if (currency == null || !currency.matches("[A-Z]{3}")) {
        throw new IllegalArgumentException("spend duty `" + id + "`: currency `" + currency + "` must be an ISO 4217 code");
      }
      if (year < 1970 || year > 9999) {
        throw new IllegalArgumentException("spend duty `" + id + "`: year `" + year + "` is not a calendar year");
      }
    }
  }

  /** @return a monthly-or-other report duty */
  public static Duty report(String id, PartyId party, String metric, String period, int dueAfterDays, int graceDays) {
    return new Duty(id, Kind.REPORT, party, metric, period, dueAfterDays, graceDays, null, null, 0);
  }

  /** @return a guaranteed-spend duty */
  public static Duty spend(String id, PartyId party, BigDecimal amount, String currency, int year) {
    return new Duty(id, Kind.SPEND, party, null, null, 0, 0, amount, currency, year);
  }
}
