package org.datapact.server.governance;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.session.Caller;
import org.datapact.store.policy.OdrlCodec;

/**
 * Agreements for people: the list with each version's status now and its lifecycle, one version's
 * terms in plain language, and its ODRL JSON-LD. Operators and regulators see every agreement; a
 * partner's staff see only their own partner's.
 */
public final class GovernanceFeature implements Feature {
  private final ServerContext context;
  private final OdrlCodec odrl = new OdrlCodec();

  /**
   * @param context the server's shared parts
   */
  public GovernanceFeature(ServerContext context) {
    this.context = context;
  }

  @Override
  public List<Route> routes() {
    Role[] readers = {Role.OPERATOR, Role.REGULATOR, Role.PARTNER};
    return List.of(
        Route.get("/api/v1/agreements", this::list, readers),
        Route.get("/api/v1/agreements/{agreementId}/versions/{version}", this::show, readers),
        Route.get("/api/v1/agreements/{agreementId}/versions/{version}/odrl", this::odrl, readers),
        Route.post(
            "/api/v1/agreements/{agreementId}/versions/{version}/status",
            this::changeStatus,
            Role.OPERATOR));
  }

  private List<AgreementRecord> visible(Caller caller) {
    return visible(context, caller);
  }

  static List<AgreementRecord> visible(ServerContext context, Caller caller) {
    List<AgreementRecord> all = context.decisions().snapshot().agreements();
    if (caller.role() != Role.PARTNER) {
      return all;
    }
    return all.stream().filter(r -> r.terms().counterparty().equals(caller.party())).toList();
  }

  private void list(Context ctx) throws DataPactException {
    Instant now = context.clock().instant();
    Map<String, List<Map<String, Object>>> byAgreement = new LinkedHashMap<>();
    for (AgreementRecord r : visible(AccessControl.requireCaller(ctx))) {
      AgreementVersion v = r.terms();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", v.version());
      m.put("title", v.title());
      m.put("counterparty", v.counterparty().value());
      m.put("statusNow", r.statusAt(now).wire());
      m.put("activeNow", r.activeAt(now));
      m.put("effectiveFrom", v.effectiveFrom().toString());
      m.put(
          "history",
          r.history().stream()
              .map(c -> Map.of("status", c.status().wire(), "at", c.at().toString(), "by", c.by()))
              .toList());
      m.put("permissions", v.permissions().size());
      m.put("prohibitions", v.prohibitions().size());
      m.put("duties", v.duties().size());
      byAgreement.computeIfAbsent(v.agreementId(), k -> new ArrayList<>()).add(m);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    byAgreement.forEach(
        (id, versions) -> {
          versions.sort(
              java.util.Comparator.comparingInt(
                  m -> (Integer) java.util.Objects.requireNonNull(m.get("version"))));
          out.add(Map.of("agreementId", id, "versions", versions));
        });
    ctx.json(Map.of("agreements", out, "policyHash", context.decisions().snapshot().policyHash()));
  }

  private AgreementRecord find(Context ctx) throws DataPactException {
    return find(context, ctx);
  }

  /**
   * @return the version the path names, among those the caller may see
   */
  static AgreementRecord find(ServerContext context, Context ctx) throws DataPactException {
    String id = ctx.pathParam("agreementId");
    int version;
    try {
      version = Integer.parseInt(ctx.pathParam("version"));
    } catch (NumberFormatException e) {
      throw DataPactException.invalid(
          "version `" + ctx.pathParam("version") + "` must be a number");
    }
    return visible(context, AccessControl.requireCaller(ctx)).stream()
        .filter(r -> r.terms().agreementId().equals(id) && r.terms().version() == version)
        .findFirst()
        .orElseThrow(
            () -> DataPactException.notFound("no agreement `" + id + "` version " + version));
  }

  private void show(Context ctx) throws DataPactException {
    AgreementRecord r = find(ctx);
    AgreementVersion v = r.terms();
    Instant now = context.clock().instant();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("agreementId", v.agreementId());
    m.put("version", v.version());
    m.put("ref", v.ref());
    m.put("title", v.title());
    m.put("counterparty", v.counterparty().value());
    m.put("effectiveFrom", v.effectiveFrom().toString());
    m.put("statusNow", r.statusAt(now).wire());
    m.put(
        "history",
        r.history().stream()
            .map(c -> Map.of("status", c.status().wire(), "at", c.at().toString(), "by", c.by()))
            .toList());
    m.put("permissions", PlainLanguage.permissions(v));
    m.put("prohibitions", PlainLanguage.prohibitions(v));
    m.put("duties", PlainLanguage.duties(v));
    ctx.json(m);
  }

  private void odrl(Context ctx) throws DataPactException {
    ctx.contentType("application/ld+json").result(odrl.toJson(find(ctx).terms()));
  }

  /** A status change request. */
  record StatusBody(String status) {}

  /**
   * {@code POST …/status}: an operator suspends, reinstates or terminates an agreement version. The
   * change is committed to the ledger, then stored, then published to the decision point; then
   * every access token of the counterparty is revoked, so its next token carries the scopes of what
   * is active now.
   */
  private void changeStatus(Context ctx) throws DataPactException {
    find(ctx); // 404 before reading the body
    StatusBody body = org.datapact.server.http.Json.body(ctx, context.mapper(), StatusBody.class);
    AgreementStatus status;
    String allowed = "`status` must be `pending_approval`, `active`, `suspended` or `terminated`";
    try {
      status = AgreementStatus.fromWire(body.status() == null ? "" : body.status());
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(allowed + ", got `" + body.status() + "`");
    }
    if (status == AgreementStatus.DRAFT || status == AgreementStatus.EXPIRED) {
      throw DataPactException.invalid(allowed + ", got `" + body.status() + "`");
    }
    Instant now = context.clock().instant();
    String by = AccessControl.requireCaller(ctx).actor();
    AgreementRecord r;
    synchronized (context.decisions()) { // one change at a time: none loses another's history
      r = find(ctx); // as the decision point holds it now, under the lock
      AgreementStatus current = r.statusAt(now);
      boolean ok =
          switch (status) {
            case PENDING_APPROVAL -> current == AgreementStatus.DRAFT;
            // activation is the two-person rule's (POST …/approvals); only a suspension is lifted
            case ACTIVE -> current == AgreementStatus.SUSPENDED;
            case SUSPENDED -> current == AgreementStatus.ACTIVE;
            case TERMINATED ->
                current != AgreementStatus.TERMINATED && current != AgreementStatus.EXPIRED;
            default -> false;
          };
      if (!ok) {
        throw new DataPactException(
            org.datapact.core.ErrorKind.CONFLICT,
            "agreement "
                + r.terms().ref()
                + " is `"
                + current.wire()
                + "`; it cannot become `"
                + status.wire()
                + "`"
                + (status == AgreementStatus.ACTIVE && current == AgreementStatus.PENDING_APPROVAL
                    ? ": activation needs two approvers (POST …/approvals)"
                    : ""));
      }
      apply(context, r, new AgreementRecord.StatusChange(status, now, by));
    }
    ctx.json(new StatusAnswer(r.terms().ref(), status.wire(), r.terms().counterparty().value()));
  }

  /**
   * A version's status after a change.
   *
   * @param tokensRevokedFor the counterparty whose access tokens the change revoked
   */
  record StatusAnswer(String ref, String statusNow, String tokensRevokedFor) {}

  /**
   * Applies a status change: committed to the ledger, then stored, then published to the decision
   * point; then every access token of the counterparty is revoked, so its next token carries the
   * scopes of what is active now. INVARIANT: the caller holds the decision point's lock.
   */
  static void apply(ServerContext context, AgreementRecord r, AgreementRecord.StatusChange change)
      throws DataPactException {
    AgreementRecord next = r.with(change);
    context.audit().agreement(next); // INVARIANT: in the ledger before it changes any decision
    context.policies().appendStatus(r.terms(), change);
    java.util.List<AgreementRecord> all =
        new java.util.ArrayList<>(context.decisions().snapshot().agreements());
    all.replaceAll(x -> x.terms().ref().equals(r.terms().ref()) ? next : x);
    context.decisions().applyAgreements(all);
    context.feed().publish("agreements", r.terms().counterparty().value()); // the other nodes
    context.accessTokens().revokeAll(r.terms().counterparty());
  }
}
