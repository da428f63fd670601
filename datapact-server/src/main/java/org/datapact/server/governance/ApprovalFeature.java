package org.datapact.server.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Approvals;
import org.datapact.core.agreement.Drafts;
import org.datapact.core.agreement.Interest;
import org.datapact.core.party.PartyId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.session.Caller;
import org.datapact.store.policy.GovernanceStore;
import org.datapact.store.policy.OdrlCodec;
import org.jspecify.annotations.Nullable;

/**
 * Agreements under governance: drafts imported as ODRL JSON-LD (never in force), the
 * conflict-of-interest register, and the two-person rule — a version pending approval becomes
 * active on its second distinct approval; its drafter or submitter cannot approve it, and an
 * approver with a declared interest in the counterparty is recused. Every act is committed to the
 * ledger before it is stored or takes effect, a recusal included, and the acts are serialized on
 * the decision point's lock so concurrent ones never lose history.
 */
public final class ApprovalFeature implements Feature {
  private final ServerContext context;
  private final GovernanceStore store;
  private final OdrlCodec odrl = new OdrlCodec();

  /**
   * @param context the server's shared parts
   */
  public ApprovalFeature(ServerContext context) {
    this.context = context;
    this.store = new GovernanceStore(context.db());
  }

  @Override
  public List<Route> routes() {
    String approvals = "/api/v1/agreements/{agreementId}/versions/{version}/approvals";
    return List.of(
        Route.post("/api/v1/agreements/drafts", this::draft, Role.OPERATOR),
        Route.get(approvals, this::approvals, Role.OPERATOR, Role.REGULATOR, Role.PARTNER),
        Route.post(approvals, this::approve, Role.OPERATOR),
        Route.get(
            "/api/v1/agreements/{agreementId}/versions/{version}/impact",
            this::impact,
            Role.OPERATOR,
            Role.REGULATOR),
        Route.get("/api/v1/interests", this::interests, Role.OPERATOR, Role.REGULATOR),
        Route.post("/api/v1/interests", this::declare, Role.OPERATOR));
  }

  // ---- drafts

  /**
   * {@code POST /api/v1/agreements/drafts}: an ODRL JSON-LD document (with {@code dp:agreement} and
   * {@code dp:version}) becomes a draft: the next version of an agreement with the same
   * counterparty, or version 1 of a new one. A draft decides nothing.
   */
  private void draft(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    String body = ctx.body();
    if (body.isBlank()) {
      throw DataPactException.invalid("the body is an ODRL JSON-LD agreement document");
    }
    AgreementVersion v = odrl.fromJson(body, "", 0);
    if (!known(v.counterparty())) {
      throw DataPactException.invalid("`assignee`: no party `" + v.counterparty() + "`");
    }
    Instant now = context.clock().instant();
    synchronized (context.decisions()) {
      List<AgreementRecord> all = context.decisions().snapshot().agreements();
      AgreementRecord draft = Drafts.draft(all, v, now, caller.actor());
      context.audit().agreement(draft); // INVARIANT: in the ledger before it is stored
      context.policies().insertAgreements(List.of(draft));
      List<AgreementRecord> next = new ArrayList<>(all);
      next.add(draft);
      context.decisions().applyAgreements(next);
      context.feed().publish("agreements", "");
    }
    ctx.status(201);
    ctx.json(new DraftAnswer(v.ref(), AgreementStatus.DRAFT.wire()));
  }

  /** A draft just stored. */
  record DraftAnswer(String ref, String statusNow) {}

  // ---- approvals

  /** An approval or recusal on the wire. */
  record ApprovalAnswer(
      String approver,
      String at,
      String outcome,
      @Nullable String reason,
      @Nullable Long ledgerIndex) {}

  private void approvals(Context ctx) throws DataPactException {
    AgreementRecord r = GovernanceFeature.find(context, ctx);
    ctx.json(
        store.approvals(r.terms().agreementId(), r.terms().version()).stream()
            .map(
                a ->
                    new ApprovalAnswer(
                        a.approver(), a.at().toString(), a.outcome(), a.reason(), a.ledgerIndex()))
            .toList());
  }

  private void approve(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    String approver = caller.actor();
    Instant now = context.clock().instant();
    ApprovedAnswer answer;
    synchronized (context.decisions()) {
      AgreementRecord r = GovernanceFeature.find(context, ctx);
      List<String> approvedBy =
          store.approvals(r.terms().agreementId(), r.terms().version()).stream()
              .filter(a -> a.outcome().equals("approved"))
              .map(GovernanceStore.Approval::approver)
              .toList();
      Optional<Approvals.Refusal> refused =
          Approvals.review(r, approver, caller.handle(), approvedBy, store.interests(), now);
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("agreement", r.terms().ref());
      detail.put("counterparty", r.terms().counterparty().value());
      if (refused.isPresent()) {
        Approvals.Refusal x = refused.get();
        if (!x.recusal()) {
          throw new DataPactException(ErrorKind.CONFLICT, x.reason());
        }
        detail.put("reason", x.reason());
        long index = record(r, approver, now, "recused", x.reason(), detail);
        throw new DataPactException(
            ErrorKind.FORBIDDEN, x.reason() + " (recorded as ledger entry " + index + ")");
      }
      long index = record(r, approver, now, "approved", null, detail);
      List<String> all = new ArrayList<>(approvedBy);
      all.add(approver);
      boolean activates = all.size() >= Approvals.REQUIRED;
      if (activates) {
        GovernanceFeature.apply(
            context,
            r,
            new AgreementRecord.StatusChange(
                AgreementStatus.ACTIVE, now, "approvals:" + String.join(",", all)));
      }
      answer =
          new ApprovedAnswer(
              r.terms().ref(),
              all,
              index,
              (activates ? AgreementStatus.ACTIVE : AgreementStatus.PENDING_APPROVAL).wire());
    }
    ctx.json(answer);
  }

  /**
   * An approval counted.
   *
   * @param approvedBy every approver so far, this one last
   * @param ledgerIndex the approval's ledger entry
   */
  record ApprovedAnswer(String ref, List<String> approvedBy, long ledgerIndex, String statusNow) {}

  /** Commits an approval or recusal to the ledger, then stores it; @return the entry's index. */
  private long record(
      AgreementRecord r,
      String approver,
      Instant now,
      String outcome,
      @Nullable String reason,
      Map<String, String> detail)
      throws DataPactException {
    long index =
        context
            .audit()
            .governance(
                now, outcome.equals("recused") ? "approval_recused" : "approved", approver, detail);
    store.insertApproval(
        new GovernanceStore.Approval(
            r.terms().agreementId(), r.terms().version(), approver, now, outcome, reason, index));
    return index;
  }

  // ---- impact before approval

  /** What a version changes in its terms against the version it amends. */
  record TermsDiff(@Nullable String amends, List<String> widens, List<String> narrows) {}

  /** The impact of a version: its terms' difference and the replay of recent decisions. */
  record Impact(TermsDiff terms, org.datapact.server.ledger.ImpactReplay.Result replay) {}

  private void impact(Context ctx) throws DataPactException {
    AgreementRecord r = GovernanceFeature.find(context, ctx);
    int days;
    try {
      days = Integer.parseInt(Optional.ofNullable(ctx.queryParam("days")).orElse("30"));
    } catch (NumberFormatException e) {
      throw DataPactException.invalid("`days`: a whole number of days, 1 to 3650");
    }
    if (days < 1 || days > 3650) {
      throw DataPactException.invalid("`days`: a whole number of days, 1 to 3650");
    }
    org.datapact.server.ledger.ImpactReplay.Result replay;
    try {
      replay =
          org.datapact.server.ledger.ImpactReplay.run(
              context.audit().ledger().directory(),
              context.mapper(),
              context.audit().ledger().subjects(),
              context.decisions().snapshot(),
              r,
              context.clock().instant(),
              days);
    } catch (java.io.IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "the ledger cannot be read: " + e.getMessage(), e);
    }
    ctx.json(new Impact(diff(r), replay));
  }

  /**
   * @return the terms {@code r} adds (widening permissions, narrowing prohibitions and duties) and
   *     removes, against the previous version of the same agreement, in plain language
   */
  private TermsDiff diff(AgreementRecord r) {
    AgreementVersion base = null;
    for (AgreementRecord x : context.decisions().snapshot().agreements()) {
      if (x.terms().agreementId().equals(r.terms().agreementId())
          && x.terms().version() < r.terms().version()
          && (base == null || x.terms().version() > base.version())) {
        base = x.terms();
      }
    }
    AgreementVersion v = r.terms();
    List<String> widens = new ArrayList<>();
    List<String> narrows = new ArrayList<>();
    List<String> oldPermissions = base == null ? List.of() : PlainLanguage.permissions(base);
    List<String> oldProhibitions = base == null ? List.of() : PlainLanguage.prohibitions(base);
    List<String> oldDuties = base == null ? List.of() : PlainLanguage.duties(base);
    for (String p : PlainLanguage.permissions(v)) {
      if (!oldPermissions.contains(p)) {
        widens.add("permits: " + p);
      }
    }
    for (String p : oldPermissions) {
      if (!PlainLanguage.permissions(v).contains(p)) {
        narrows.add("no longer permits: " + p);
      }
    }
    for (String p : PlainLanguage.prohibitions(v)) {
      if (!oldProhibitions.contains(p)) {
        narrows.add("prohibits: " + p);
      }
    }
    for (String p : oldProhibitions) {
      if (!PlainLanguage.prohibitions(v).contains(p)) {
        widens.add("no longer prohibits: " + p);
      }
    }
    for (String p : PlainLanguage.duties(v)) {
      if (!oldDuties.contains(p)) {
        narrows.add("adds the duty: " + p);
      }
    }
    for (String p : oldDuties) {
      if (!PlainLanguage.duties(v).contains(p)) {
        widens.add("drops the duty: " + p);
      }
    }
    return new TermsDiff(base == null ? null : base.ref(), widens, narrows);
  }

  // ---- the interest register

  /** A declared interest on the wire. */
  record InterestAnswer(
      String person,
      String organisation,
      String kind,
      String since,
      @Nullable String until,
      String declaredBy,
      String declaredAt,
      boolean current) {}

  private void interests(Context ctx) {
    Instant now = context.clock().instant();
    ctx.json(
        store.interests().stream()
            .map(
                i ->
                    new InterestAnswer(
                        i.person(),
                        i.organisation().value(),
                        i.kind().wire(),
                        i.since().toString(),
                        i.until() == null ? null : i.until().toString(),
                        i.declaredBy(),
                        i.declaredAt().toString(),
                        i.currentAt(now)))
            .toList());
  }

  private void declare(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    JsonNode b = Json.body(ctx, context.mapper(), JsonNode.class);
    String person = text(b, "person");
    PartyId organisation;
    try {
      organisation = PartyId.of(text(b, "organisation"));
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid("`organisation`: " + e.getMessage());
    }
    if (!known(organisation)) {
      throw DataPactException.invalid("`organisation`: no party `" + organisation + "`");
    }
    Interest.Kind kind;
    try {
      kind = Interest.Kind.fromWire(text(b, "kind"));
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid("`kind`: " + e.getMessage());
    }
    Instant since = instant(b, "since");
    Instant until = b.hasNonNull("until") ? instant(b, "until") : null;
    Instant now = context.clock().instant();
    Interest interest;
    try {
      interest = new Interest(person, organisation, kind, since, until, caller.actor(), now);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid("`until`: " + e.getMessage());
    }
    Map<String, String> detail = GovernanceBackfill.detail(interest);
    synchronized (context.decisions()) {
      long index = context.audit().governance(now, "interest_declared", caller.actor(), detail);
      store.insertInterest(interest, index);
    }
    ctx.status(201);
    ctx.json(new DeclaredAnswer(person, organisation.value(), kind.wire()));
  }

  /** An interest just declared. */
  record DeclaredAnswer(String person, String organisation, String kind) {}

  private boolean known(PartyId p) {
    return p.equals(org.datapact.core.decision.PolicySnapshot.PLATFORM)
        || context.release().snapshot().partyKinds().containsKey(p);
  }

  private static String text(JsonNode b, String field) throws DataPactException {
    JsonNode v = b.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank() || v.asText().length() > 64) {
      throw DataPactException.invalid(
          "`" + field + "` is required: a string of 1 to 64 characters");
    }
    return v.asText();
  }

  private static Instant instant(JsonNode b, String field) throws DataPactException {
    String v = text(b, field);
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw DataPactException.invalid("`" + field + "`: not an instant, e.g. 2017-07-01T00:00:00Z");
    }
  }
}
