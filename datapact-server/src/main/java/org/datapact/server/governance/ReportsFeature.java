package org.datapact.server.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.Filing;
import org.datapact.core.agreement.ReportPeriod;
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
 * Reciprocity reports: a partner files, for a period its agreement's report duty covers (a month,
 * quarter or year, as the duty says), the recommendation sends or recipient clicks it counted;
 * DataPact reconciles the figure with its own count of the same period (the recommendation links it
 * issued and their first clicks) and flags a difference beyond the duty's tolerance (a percentage
 * of its own count, at least {@value Duty.Report#TOLERANCE_FLOOR}) — persisted with the filing,
 * which is ledgered first, then told to the decision point: a permission the missing report had
 * suspended is decided again at once. Partners see their own reports; operators and the regulator
 * see all.
 */
public final class ReportsFeature implements Feature {
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
    PartyId only = caller.partnerOrNull();
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
    Owed duty = duty(partner, metric, text(b, "period"));
    ReportPeriod period = duty.period();
    Instant now = context.clock().instant();
    if (period.until().isAfter(now)) {
      throw DataPactException.invalid("`period`: " + period + " has not ended");
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
    long observed = observed(partner, metric, period);
    boolean discrepancy = Math.abs(value - observed) > duty.report().tolerance(observed);
    GovernanceStore.Report report;
    // INVARIANT: checked under the lock before the ledger entry, so a period is filed once (the
    // table's unique key is the backstop); the decision point learns of it under the same lock, so
    // a permission the missing report suspended is decided again from the next request on
    synchronized (context.decisions()) {
      if (store.reportFiled(partner, metric, period.toString())) {
        throw new DataPactException(
            ErrorKind.CONFLICT,
            "`period`: " + partner + " already filed `" + metric + "` for " + period);
      }
      GovernanceStore.Report unrecorded =
          new GovernanceStore.Report(
              partner,
              duty.record().terms().ref(),
              duty.report().id(),
              metric,
              period.toString(),
              value,
              observed,
              discrepancy,
              breakdown,
              now,
              caller.actor(),
              -1);
      long index =
          context.audit().governance(now, "report_filed", caller.actor(), detail(unrecorded));
      report =
          new GovernanceStore.Report(
              partner,
              unrecorded.agreement(),
              unrecorded.dutyId(),
              metric,
              unrecorded.period(),
              value,
              observed,
              discrepancy,
              breakdown,
              now,
              caller.actor(),
              index);
      store.insertReport(report, context.ledger().origin());
      context.decisions().applyFiling(new Filing(partner, metric, period.toString()));
      context.feed().publish("filing", partner.value() + "|" + metric + "|" + period);
    }
    ctx.status(201);
    ctx.json(answer(report));
  }

  /** A report duty, the version it belongs to and the period a filing names. */
  record Owed(AgreementRecord record, Duty.Report report, ReportPeriod period) {}

  /**
   * @return the report duty for {@code metric} of an agreement version of {@code partner} that was
   *     in force during the period {@code text} names, read in that duty's unit
   * @throws DataPactException invalid input naming {@code period} when none was
   */
  private Owed duty(PartyId partner, String metric, String text) throws DataPactException {
    String form = null;
    ReportPeriod named = null;
    for (AgreementRecord r : context.decisions().snapshot().agreements()) {
      if (!r.terms().counterparty().equals(partner)) {
        continue;
      }
      for (Duty d : r.terms().duties()) {
        Duty.Report report = d.match(x -> x, x -> null);
        if (report == null || !report.metric().equals(metric) || !report.party().equals(partner)) {
          continue;
        }
        ReportPeriod p;
        try {
          p = ReportPeriod.parse(report.period(), text);
        } catch (IllegalArgumentException e) {
          form = e.getMessage();
          continue;
        }
        named = p;
        if (r.activeDuring(p.from(), p.until())) {
          return new Owed(r, report, p);
        }
      }
    }
    if (named == null && form != null) {
      throw DataPactException.invalid("`period`: " + form);
    }
    throw DataPactException.invalid(
        "`period`: no agreement of `"
            + partner
            + "` in force in "
            + (named == null ? text : named.toString())
            + " asks for `"
            + metric
            + "` reports");
  }

  /**
   * @return a filing's details as its ledger entry holds them (a live filing and a generated one
   *     alike)
   */
  static Map<String, String> detail(GovernanceStore.Report r) {
    Map<String, String> detail = new LinkedHashMap<>();
    detail.put("partner", r.partner().value());
    detail.put("agreement", r.agreement());
    detail.put("duty", r.dutyId());
    detail.put("metric", r.metric());
    detail.put("period", r.period());
    detail.put("reported", Long.toString(r.reported()));
    detail.put("observed", Long.toString(r.observed()));
    detail.put("discrepancy", Boolean.toString(r.discrepancy()));
    return detail;
  }

  /**
   * @return DataPact's own count for the period: recommendation links sent, or recipients who
   *     clicked one sent in it
   */
  private long observed(PartyId partner, String metric, ReportPeriod period) {
    long n = 0;
    for (PartnerData.DailyCount c : partnerData.counts(partner, period.from(), period.until())) {
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
