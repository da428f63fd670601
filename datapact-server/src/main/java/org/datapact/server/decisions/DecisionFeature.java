package org.datapact.server.decisions;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.datapact.core.DataPactException;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.jurisdiction.RuleSetId;
import org.datapact.core.label.Label;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.session.Caller;

/**
 * {@code POST /api/v1/decisions}: an internal unit asks before using data. The principal is the
 * unit the access token was issued to — never a field of the body — so a unit cannot ask on
 * another's behalf.
 */
public final class DecisionFeature implements Feature {
  private final ServerContext context;
  private final UsageCounter usage = new UsageCounter();

  /** @param context the server's shared parts */
  public DecisionFeature(ServerContext context) {
    this.context = context;
  }

  /** A label in a request body. */
  record LabelBody(String source, String category, String jurisdiction) {}

  /** The request body. */
  record DecisionBody(Long subject, List<LabelBody> labels, String scope, String purpose, String onBehalfOf, Instant at) {}

  /** The body of a what-if question: a principal and a past time, besides what a unit sends. */
  record WhatIfBody(String principal, Long subject, List<LabelBody> labels, String scope, String purpose, String onBehalfOf,
      Instant at) {}

  /** The route of the what-if question, as its ledger entries name it. */
  static final String WHAT_IF = "/api/v1/decisions/what-if";

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post("/api/v1/decisions", this::decide, Role.UNIT),
        Route.post(WHAT_IF, this::whatIf, Role.OPERATOR, Role.REGULATOR));
  }

  private void decide(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    DecisionBody body = Json.body(ctx, context.mapper(), DecisionBody.class);
    if (body.at() != null) {
      // INVARIANT: an authorizing decision is made at DataPact's clock, never at a time the caller names
      throw DataPactException.invalid("`at` is not accepted: DataPact decides at its own clock; an operator or the "
          + "regulator may ask what would have been decided at a past time with POST " + WHAT_IF);
    }
    DecisionRequest request = parse(caller.party(), body, context.clock().instant());
    long second = request.at().getEpochSecond();
    Decision d = context.decisions().decide(request.withRecentUses(usage.current(caller.party(), second)));
    if (d.allowed()) {
      usage.record(caller.party(), second);
    }
    Counter.builder("datapact.decisions").tag("principal", caller.party().value()).tag("effect", d.effect().wire())
        .register(context.metrics()).increment();
    String decisionId = org.datapact.server.http.Ids.uuid();
    // INVARIANT: audit before release — the decision is durable in the ledger before it is answered
    recorded(ctx, decisionId, () -> context.audit().decision(decisionId, request, d, countryOf(request)));
    ctx.json(DecisionJson.of(decisionId, d));
  }

  /**
   * What the decision point would have decided for a principal at a past time: recorded in the
   * ledger as a what-if (so a regulator's question is itself on the record) and answered with
   * {@code whatIf: true}. It authorizes nothing: no data leaves on it, and it counts against no
   * rate limit.
   */
  private void whatIf(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    WhatIfBody b = Json.body(ctx, context.mapper(), WhatIfBody.class);
    if (b.principal() == null || b.principal().isBlank()) {
      throw DataPactException.invalid("`principal` is required: the partner or unit the question is about");
    }
    if (b.at() == null) {
      throw DataPactException.invalid("`at` is required: the time to decide at, e.g. `2012-06-01T00:00:00Z`");
    }
    Instant now = context.clock().instant();
    if (b.at().isAfter(now)) {
      throw DataPactException.invalid("`at` must not be in the future, got `" + b.at() + "`");
    }
    PartyId principal;
    try {
      principal = PartyId.of(b.principal());
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(e.getMessage());
    }
    DecisionRequest request = parse(principal,
        new DecisionBody(b.subject(), b.labels(), b.scope(), b.purpose(), b.onBehalfOf(), null), b.at());
    Decision d = context.decisions().decide(request);
    String decisionId = org.datapact.server.http.Ids.uuid();
    recorded(ctx, decisionId, () -> context.audit().whatIf(decisionId, request, d, countryOf(request), "POST " + WHAT_IF,
        caller.role().wireName() + ":" + caller.handle()));
    java.util.Map<String, Object> answer = new java.util.LinkedHashMap<>(DecisionJson.of(decisionId, d));
    answer.put("whatIf", true);
    answer.put("at", request.at().toString());
    answer.put("principal", principal.value());
    ctx.json(answer);
  }

  /** Writes an entry to the ledger, waiting until it is durable. */
  @FunctionalInterface
  private interface Record {
    long append() throws DataPactException;
  }

  /**
   * Records a decision's entry and sets the receipt headers; a ledger that cannot take it answers
   * 503 with {@code Retry-After}.
   */
  private static void recorded(Context ctx, String decisionId, Record record) throws DataPactException {
    long index;
    try {
      index = record.append();
    } catch (DataPactException e) {
      ctx.header("Retry-After", "1");
      throw e;
    }
    ctx.header("X-DataPact-Decision-Id", decisionId);
    ctx.header("X-DataPact-Ledger-Index", Long.toString(index));
  }

  private org.datapact.core.user.CountryCode countryOf(DecisionRequest request) {
    return request.subject() == null ? null : context.decisions().snapshot().countryOf(request.subject()).orElse(null);
  }

  /**
   * @return the rule set a label names
   * @throws IllegalArgumentException naming the known rule sets when it is none of them (a country
   *     code such as `DE` is not a rule set: its users' data is labelled `EU`)
   */
  private static RuleSetId ruleSet(String id) {
    if (RULE_SETS.byId(id).isEmpty()) {
      throw new IllegalArgumentException("unknown rule set `" + id + "` in a label's `jurisdiction`; known: "
          + RULE_SETS.all().stream().map(r -> r.id()).sorted().collect(java.util.stream.Collectors.joining(", "))
          + " (a label names the rule set of its subject's country, e.g. `EU` for `DE`)");
    }
    return RuleSetId.of(id);
  }

  /** The rule sets the decision point knows (ServerContext loads it with the same catalogue). */
  private static final Jurisdictions RULE_SETS = Jurisdictions.standard();

  static DecisionRequest parse(PartyId principal, DecisionBody b, Instant now) throws DataPactException {
    if (b.scope() == null) {
      throw DataPactException.invalid("`scope` is required, e.g. `data.use`");
    }
    if (b.purpose() == null) {
      throw DataPactException.invalid("`purpose` is required, e.g. `recommendations`");
    }
    try {
      Scope scope = Scope.fromWire(b.scope());
      Purpose purpose = Purpose.fromWire(b.purpose());
      Set<Label> labels = new HashSet<>();
      if (b.labels() != null) {
        for (LabelBody l : b.labels()) {
          if (l == null || l.source() == null || l.category() == null || l.jurisdiction() == null) {
            throw DataPactException.invalid("every label needs `source`, `category` and `jurisdiction`");
          }
          labels.add(new Label(PartyId.of(l.source()), DataCategory.fromWire(l.category()), ruleSet(l.jurisdiction())));
        }
      }
      if (b.subject() == null && labels.isEmpty()) {
        throw DataPactException.invalid("name a `subject` user id, or the `labels` of the dataset");
      }
      if (b.subject() != null && b.subject() <= 0) {
        throw DataPactException.invalid("`subject` must be a positive user id, got `" + b.subject() + "`");
      }
      return new DecisionRequest(principal, b.subject() == null ? null : UserId.of(b.subject()), new LabelSet(labels),
          scope, purpose, now, b.onBehalfOf() == null ? null : PartyId.of(b.onBehalfOf()), 0);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(e.getMessage());
    }
  }
}
