package org.datapact.core.agreement;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One period a report duty covers: a month ({@code 2026-10}), a quarter ({@code 2026-Q3}) or a year
 * ({@code 2026}), in UTC. Its text is how filings name it, on the wire, in the store and in the
 * ledger.
 *
 * @param unit {@code month}, {@code quarter} or {@code year}
 * @param start the first day
 */
public record ReportPeriod(String unit, LocalDate start) implements Comparable<ReportPeriod> {

  /** Validates: the start is the first day of its unit. */
  public ReportPeriod {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(start, "start");
    boolean aligned =
        switch (unit) {
          case "month" -> start.getDayOfMonth() == 1;
          case "quarter" -> start.getDayOfMonth() == 1 && (start.getMonthValue() - 1) % 3 == 0;
          case "year" -> start.getDayOfYear() == 1;
          default ->
              throw new IllegalArgumentException(
                  "period unit `" + unit + "` must be month, quarter or year");
        };
    if (!aligned) {
      throw new IllegalArgumentException("`" + start + "` does not start a " + unit);
    }
  }

  /**
   * @return the period of {@code unit} containing {@code at}
   */
  public static ReportPeriod containing(String unit, Instant at) {
    LocalDate d = at.atZone(ZoneOffset.UTC).toLocalDate();
    return switch (unit) {
      case "month" -> new ReportPeriod(unit, d.withDayOfMonth(1));
      case "quarter" ->
          new ReportPeriod(unit, LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1));
      case "year" -> new ReportPeriod(unit, d.withDayOfYear(1));
      default ->
          throw new IllegalArgumentException(
              "period unit `" + unit + "` must be month, quarter or year");
    };
  }

  /**
   * Reads a period's text in the unit a duty asks for.
   *
   * @throws IllegalArgumentException naming the form expected
   */
  public static ReportPeriod parse(String unit, String text) {
    String example =
        switch (unit) {
          case "month" -> "a month such as 2026-10";
          case "quarter" -> "a quarter such as 2026-Q3";
          case "year" -> "a year such as 2026";
          default ->
              throw new IllegalArgumentException(
                  "period unit `" + unit + "` must be month, quarter or year");
        };
    String pattern =
        switch (unit) {
          case "month" -> "[0-9]{4}-(0[1-9]|1[0-2])";
          case "quarter" -> "[0-9]{4}-Q[1-4]";
          default -> "[0-9]{4}";
        };
    if (text == null || !text.matches(pattern)) {
      throw new IllegalArgumentException(example + ", got `" + text + "`");
    }
    int year = Integer.parseInt(text.substring(0, 4));
    LocalDate start =
        switch (unit) {
          case "month" -> LocalDate.of(year, Integer.parseInt(text.substring(5)), 1);
          case "quarter" -> LocalDate.of(year, (text.charAt(6) - '1') * 3 + 1, 1);
          default -> LocalDate.of(year, 1, 1);
        };
    return new ReportPeriod(unit, start);
  }

  /**
   * Reads a period of any unit from its text: {@code 2026-10}, {@code 2026-Q3} or {@code 2026}.
   *
   * @throws IllegalArgumentException naming the forms expected
   */
  public static ReportPeriod parseAny(String text) {
    String unit = text.matches("[0-9]{4}-Q.*") ? "quarter" : text.length() > 4 ? "month" : "year";
    try {
      return parse(unit, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "a period is a month such as 2026-10, a quarter such as 2026-Q3 or a year such as 2026,"
              + " got `"
              + text
              + "`");
    }
  }

  /**
   * @return the period after this one
   */
  public ReportPeriod next() {
    return new ReportPeriod(unit, endDate());
  }

  private LocalDate endDate() {
    return switch (unit) {
      case "month" -> start.plusMonths(1);
      case "quarter" -> start.plusMonths(3);
      default -> start.plusYears(1);
    };
  }

  /**
   * @return the first instant of the period
   */
  public Instant from() {
    return start.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * @return the first instant after the period
   */
  public Instant until() {
    return endDate().atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * @return when a report for the period is due under {@code duty}
   */
  public Instant dueUnder(Duty.Report duty) {
    return until().plus(Duration.ofDays(duty.dueAfterDays()));
  }

  /**
   * @return when, the report still missing, {@code duty}'s permissions are suspended: the due date
   *     plus the grace
   */
  public Instant suspendsUnder(Duty.Report duty) {
    return dueUnder(duty).plus(Duration.ofDays(duty.graceDays()));
  }

  @Override
  public int compareTo(ReportPeriod o) {
    int c = start.compareTo(o.start);
    return c != 0 ? c : unit.compareTo(o.unit);
  }

  @Override
  public String toString() {
    return switch (unit) {
      case "month" -> start.toString().substring(0, 7);
      case "quarter" -> start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
      default -> Integer.toString(start.getYear());
    };
  }
}
