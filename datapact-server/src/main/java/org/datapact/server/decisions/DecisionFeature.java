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

  @Override
  public List<Route> routes() {
    return List.of(Route.post("/api/v1/decisions", this::decide, Role.UNIT));
  }

  private void decide(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    DecisionBody body = Json.body(ctx, context.mapper(), DecisionBody.class);
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
    long index;
    try {
      index = context.audit().decision(decisionId, request, d,
          request.subject() == null ? null : context.decisions().snapshot().countryOf(request.subject()).orElse(null));
    } catch (DataPactException e) {
      ctx.header("Retry-After", "1");
      throw e;
    }
    ctx.header("X-DataPact-Decision-Id", decisionId);
    ctx.header("X-DataPact-Ledger-Index", Long.toString(index));
    ctx.json(DecisionJson.of(decisionId, d));
  }

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
          labels.add(new Label(PartyId.of(l.source()), DataCategory.fromWire(l.category()), l.jurisdiction()));
        }
      }
      if (b.subject() == null && labels.isEmpty()) {
        throw DataPactException.invalid("name a `subject` user id, or the `labels` of the dataset");
      }
      if (b.subject() != null && b.subject() <= 0) {
        throw DataPactException.invalid("`subject` must be a positive user id, got `" + b.subject() + "`");
      }
      return new DecisionRequest(principal, b.subject() == null ? null : UserId.of(b.subject()), new LabelSet(labels),
          scope, purpose, b.at() == null ? now : b.at(), b.onBehalfOf() == null ? null : PartyId.of(b.onBehalfOf()), 0);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(e.getMessage());
    }
  }
}
