package org.datapact.server.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Duty;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.CountryCode;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.session.Caller;
import org.datapact.store.partner.PartnerData;
import org.datapact.store.policy.GovernanceStore;
import org.jspecify.annotations.Nullable;

/**
 * Reciprocity reports: a partner files, for a month its agreement's report duty covers, the
 * recommendation sends or recipient clicks it counted; DataPact reconciles the figure with its own
 * count of the same month (the recommendation links it issued and their first clicks) and flags a
 * difference beyond the tolerance — {@value #TOLERANCE_PERCENT} % of its own count, at least
 * {@value #TOLERANCE_MIN} — persisted with the filing, which is ledgered first. Partners see their
 * own reports; operators and the regulator see all.
 */
public final class ReportsFeature implements Feature {
  /** The tolerance of a reconciliation, in percent of DataPact's own count. */
  static final int TOLERANCE_PERCENT = 5;

  /** The tolerance's floor, in events: small months are not flagged for a handful. */
  static final int TOLERANCE_MIN = 5;

  /** The largest figure a report may carry. */
  static final long MAX_VALUE = 1_000_000_000_000L;

  private final ServerContext context;
  private final GovernanceStore store;
  private final PartnerData partnerData;

  /**
   * @param context the server's shared parts
   */
  public ReportsFeature(ServerContext context) {
    this.context = context;
    this.store = new GovernanceStore(context.db());
    this.partnerData = new PartnerData(context.db());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post("/api/v1/reports", this::file, Role.PARTNER_APP, Role.PARTNER),
        Route.get(
            "/api/v1/reports",
            this::list,
            Role.PARTNER_APP,
            Role.PARTNER,
            Role.OPERATOR,
            Role.REGULATOR));
  }

  /** A report on the wire. */
  record ReportAnswer(
      String partner,
      String agreement,
      String duty,
      String metric,
      String period,
      long reported,
      long observed,
      boolean discrepancy,
      JsonNode breakdown,
      String filedAt,
      String filedBy,
      long ledgerIndex) {}

  private ReportAnswer answer(GovernanceStore.Report r) {
    JsonNode breakdown;
    try {
      breakdown = context.mapper().readTree(r.breakdown());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a stored breakdown is not JSON", e); // INVARIANT: stored so
    }
    return new ReportAnswer(
        r.partner().value(),
        r.agreement(),
        r.dutyId(),
        r.metric(),
        r.period(),
        r.reported(),
        r.observed(),
        r.discrepancy(),
        breakdown,
        r.filedAt().toString(),
        r.filedBy(),
        r.ledgerIndex());
  }

  private void list(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    PartyId only =
        caller.role() == Role.PARTNER || caller.role() == Role.PARTNER_APP
            ? caller.requireParty()
            : null;
    ctx.json(store.reports(only).stream().map(this::answer).toList());
  }

  private void file(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    PartyId partner = caller.requireParty();
    JsonNode b = Json.body(ctx, context.mapper(), JsonNode.class);
    String metric = text(b, "metric");
    if (!metric.equals("recommendation_sends") && !metric.equals("recipient_clicks")) {
      throw DataPactException.invalid(
          "`metric`: `recommendation_sends` or `recipient_clicks`, got `" + metric + "`");
    }
    YearMonth period;
    try {
      period = YearMonth.parse(text(b, "period"));
    } catch (DateTimeParseException e) {
      throw DataPactException.invalid("`period`: a month, e.g. 2026-10");
    }
    Instant start = period.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = period.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant now = context.clock().instant();
    if (end.isAfter(now)) {
      throw DataPactException.invalid("`period`: " + period + " has not ended");
    }
    Optional<Map.Entry<AgreementRecord, Duty.Report>> duty = duty(partner, metric, start, end);
    if (duty.isEmpty()) {
      throw DataPactException.invalid(
          "`period`: no agreement of `"
              + partner
              + "` in force in "
              + period
              + " asks for monthly `"
              + metric
              + "` reports");
    }
    JsonNode valueNode = b.get("value");
    if (valueNode == null
        || !valueNode.isIntegralNumber()
        || !valueNode.canConvertToLong()
        || valueNode.asLong() < 0
        || valueNode.asLong() > MAX_VALUE) {
      throw DataPactException.invalid("`value`: a whole number from 0 to " + MAX_VALUE);
    }
    long value = valueNode.asLong();
    String breakdown = breakdown(b.get("breakdown"), value);
    long observed = observed(partner, metric, start, end);
    long tolerance = Math.max(TOLERANCE_MIN, observed * TOLERANCE_PERCENT / 100);
    boolean discrepancy = Math.abs(value - observed) > tolerance;
    String by = caller.actor();
    Map<String, String> detail = new LinkedHashMap<>();
    detail.put("partner", partner.value());
    detail.put("agreement", duty.get().getKey().terms().ref());
    detail.put("duty", duty.get().getValue().id());
    detail.put("metric", metric);
    detail.put("period", period.toString());
    detail.put("reported", Long.toString(value));
    detail.put("observed", Long.toString(observed));
    detail.put("discrepancy", Boolean.toString(discrepancy));
    GovernanceStore.Report report;
    // INVARIANT: checked under the lock before the ledger entry, so a period is filed once (the
    // table's unique key is the backstop)
    synchronized (context.decisions()) {
      if (store.reportFiled(partner, metric, period.toString())) {
        throw new DataPactException(
            ErrorKind.CONFLICT,
            "`period`: " + partner + " already filed `" + metric + "` for " + period);
      }
      long index = context.audit().governance(now, "report_filed", by, detail);
      report =
          new GovernanceStore.Report(
              partner,
              duty.get().getKey().terms().ref(),
              duty.get().getValue().id(),
              metric,
              period.toString(),
              value,
              observed,
              discrepancy,
              breakdown,
              now,
              by,
              index);
      store.insertReport(report);
    }
    ctx.status(201);
    ctx.json(answer(report));
  }

  /**
   * @return the agreement version and its report duty for {@code metric} that were in force for
   *     {@code partner} during the month, if any
   */
  private Optional<Map.Entry<AgreementRecord, Duty.Report>> duty(
      PartyId partner, String metric, Instant start, Instant end) {
    for (AgreementRecord r : context.decisions().snapshot().agreements()) {
      if (!r.terms().counterparty().equals(partner)
          || !(r.activeAt(start) || r.activeAt(end.minusSeconds(1)))) {
        continue;
      }
      for (Duty d : r.terms().duties()) {
        Optional<Duty.Report> report = d.match(Optional::of, s -> Optional.empty());
        if (report.isPresent()
            && report.get().metric().equals(metric)
            && report.get().period().equals("month")
            && report.get().party().equals(partner)) {
          return Optional.of(Map.entry(r, report.get()));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * @return DataPact's own count for the month: recommendation links sent, or recipients who
   *     clicked one sent that month
   */
  private long observed(PartyId partner, String metric, Instant start, Instant end) {
    long n = 0;
    for (PartnerData.DailyCount c : partnerData.counts(partner, start, end)) {
      n += metric.equals("recommendation_sends") ? c.sends() : c.clickedRecipients();
    }
    return n;
  }

  private String breakdown(@Nullable JsonNode v, long value) throws DataPactException {
    if (v == null || v.isNull()) {
      return "{}";
    }
    if (!v.isObject()) {
      throw DataPactException.invalid("`breakdown`: an object of country code to count");
    }
    long sum = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!CountryCode.isIsoCountry(e.getKey())) {
        throw DataPactException.invalid("`breakdown`: `" + e.getKey() + "` is no country code");
      }
      JsonNode n = e.getValue();
      if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > MAX_VALUE) {
        throw DataPactException.invalid(
            "`breakdown." + e.getKey() + "`: a whole number from 0 to " + MAX_VALUE);
      }
      sum += n.asLong();
    }
    if (v.size() > 0 && sum != value) {
      throw DataPactException.invalid(
          "`breakdown`: the countries sum to " + sum + ", not to `value` " + value);
    }
    return v.toString();
  }

  private static String text(JsonNode b, String field) throws DataPactException {
    JsonNode v = b.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw DataPactException.invalid("`" + field + "` is required");
    }
    return v.asText();
  }
}
