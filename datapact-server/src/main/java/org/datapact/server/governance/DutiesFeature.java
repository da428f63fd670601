package org.datapact.server.governance;

import io.javalin.http.Context;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.Filing;
import org.datapact.core.agreement.ReportPeriod;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.party.PartyId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.session.Caller;
import org.datapact.store.policy.GovernanceStore;
import org.jspecify.annotations.Nullable;

/**
 * The duties of the agreement versions in force now and where each stands, on DataPact's clock: a
 * report duty is {@code met}, {@code overdue} (a period's report is missing past its due date) or
 * {@code suspending} (missing past the grace too, so the permissions it gates are denied — the
 * decision point's own rule, read from the same filings); a spend duty is {@code in_progress} until
 * its year ends, then {@code met} or {@code shortfall} against the ads delivery's spend. Partners
 * see their own; operators and the regulator see all.
 */
public final class DutiesFeature implements Feature {
  /** The most missing periods one answer lists (the count says how many there are). */
  static final int MAX_LISTED = 24;

  private final ServerContext context;
  private final GovernanceStore store;

  /**
   * @param context the server's shared parts
   */
  public DutiesFeature(ServerContext context) {
    this.context = context;
    this.store = new GovernanceStore(context.db());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(
            "/api/v1/duties",
            this::list,
            Role.PARTNER_APP,
            Role.PARTNER,
            Role.OPERATOR,
            Role.REGULATOR));
  }

  /** A report duty's standing. */
  record ReportStanding(
      String metric,
      String period,
      int dueAfterDays,
      int graceDays,
      int tolerancePercent,
      List<String> missing,
      int missingCount,
      @Nullable String nextDue,
      @Nullable String suspendedSince,
      long discrepancies) {}

  /** A spend duty's standing, in US cents like the ads figures. */
  record SpendStanding(int year, String currency, long committedCents, long spentCents) {}

  /** One duty on the wire. */
  record DutyAnswer(
      String partner,
      String agreement,
      String duty,
      String kind,
      String status,
      List<String> suspends,
      @Nullable ReportStanding report,
      @Nullable SpendStanding spend) {}

  private void list(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    PartyId only = caller.partnerOrNull();
    Instant now = context.clock().instant();
    PolicySnapshot snapshot = context.decisions().snapshot();
    Map<String, Long> discrepancies = new HashMap<>();
    for (GovernanceStore.Report r : store.reports(only)) {
      if (r.discrepancy()) {
        discrepancies.merge(r.partner().value() + " " + r.metric(), 1L, Long::sum);
      }
    }
    Map<String, Long> spent = null;
    List<DutyAnswer> out = new ArrayList<>();
    for (AgreementRecord r : snapshot.agreements()) {
      if (!r.activeAt(now)) {
        continue;
      }
      for (Duty d : r.terms().duties()) {
        if (only != null && !d.party().equals(only)) {
          continue;
        }
        Duty.Report report = d.match(x -> x, x -> null);
        if (report != null) {
          out.add(report(r, report, snapshot, now, discrepancies));
        } else {
          if (spent == null) {
            spent = context.ads().spentByPartyYear();
          }
          out.add(spend(r, d.match(x -> null, x -> x), spent, now));
        }
      }
    }
    ctx.json(out);
  }

  private static DutyAnswer report(
      AgreementRecord r,
      Duty.Report duty,
      PolicySnapshot snapshot,
      Instant now,
      Map<String, Long> discrepancies) {
    List<String> missing = new ArrayList<>();
    int missingCount = 0;
    ReportPeriod first = null;
    ReportPeriod p = ReportPeriod.containing(duty.period(), r.terms().effectiveFrom());
    while (!p.dueUnder(duty).isAfter(now)) {
      if (r.activeDuring(p.from(), p.until())
          && !snapshot.filed(new Filing(duty.party(), duty.metric(), p.toString()))) {
        if (first == null) {
          first = p;
        }
        missingCount++;
        if (missing.size() < MAX_LISTED) {
          missing.add(p.toString());
        }
      }
      p = p.next();
    }
    String suspendedSince = null;
    if (first != null && !first.suspendsUnder(duty).isAfter(now) && !duty.gates().isEmpty()) {
      suspendedSince = first.suspendsUnder(duty).toString();
    }
    boolean suspending = suspendedSince != null;
    String status = first == null ? "met" : suspending ? "suspending" : "overdue";
    return new DutyAnswer(
        duty.party().value(),
        r.terms().ref(),
        duty.id(),
        "report",
        status,
        duty.gates().stream().sorted().toList(),
        new ReportStanding(
            duty.metric(),
            duty.period(),
            duty.dueAfterDays(),
            duty.graceDays(),
            duty.tolerancePercent(),
            missing,
            missingCount,
            p.dueUnder(duty).toString(),
            suspendedSince,
            discrepancies.getOrDefault(duty.party().value() + " " + duty.metric(), 0L)),
        null);
  }

  private static DutyAnswer spend(
      AgreementRecord r, Duty.Spend duty, Map<String, Long> spent, Instant now) {
    long committed =
        duty.amount().movePointRight(2).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    long paid = spent.getOrDefault(duty.party().value() + "/" + duty.year(), 0L);
    boolean yearOver =
        !ReportPeriod.parse("year", Integer.toString(duty.year())).until().isAfter(now);
    String status = paid >= committed ? "met" : yearOver ? "shortfall" : "in_progress";
    return new DutyAnswer(
        duty.party().value(),
        r.terms().ref(),
        duty.id(),
        "spend",
        status,
        List.of(),
        null,
        new SpendStanding(duty.year(), duty.currency(), committed, paid));
  }
}
