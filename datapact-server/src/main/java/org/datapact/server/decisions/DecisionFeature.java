package org.datapact.server.decisions;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.javalin.http.Context;
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
import org.datapact.server.release.DecisionAnswer;
import org.datapact.server.release.ReleasePipeline;
import org.datapact.server.session.Caller;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/decisions}: an internal unit asks before using data. The principal is the
 * unit the access token was issued to — never a field of the body — so a unit cannot ask on
 * another's behalf.
 */
public final class DecisionFeature implements Feature {
  private final ServerContext context;

  /**
   * @param context the server's shared parts
   */
  public DecisionFeature(ServerContext context) {
    this.context = context;
  }

  /** A label in a request body. */
  record LabelBody(
      @Nullable String source, @Nullable String category, @Nullable String jurisdiction) {}

  /** The request body (a what-if's labels; a unit's come from DataPact, see {@link UnitBody}). */
  record DecisionBody(
      @Nullable Long subject,
      @Nullable List<LabelBody> labels,
      @Nullable String scope,
      @Nullable String purpose,
      @Nullable String onBehalfOf,
      @Nullable Instant at) {}

  /**
   * A unit's question: about one user's first-party data ({@code subject}) or about a dataset
   * DataPact built ({@code segment}); {@code labels} and {@code at} are read only to be refused.
   */
  record UnitBody(
      @Nullable Long subject,
      @Nullable String segment,
      @Nullable List<LabelBody> labels,
      @Nullable String scope,
      @Nullable String purpose,
      @Nullable String onBehalfOf,
      @Nullable Instant at) {}

  /** The body of a what-if question: a principal and a past time, besides what a unit sends. */
  record WhatIfBody(
      @Nullable String principal,
      @Nullable Long subject,
      @Nullable List<LabelBody> labels,
      @Nullable String scope,
      @Nullable String purpose,
      @Nullable String onBehalfOf,
      @Nullable Instant at) {}

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
    PartyId unit = caller.requireParty();
    UnitBody body = Json.body(ctx, context.mapper(), UnitBody.class);
    if (body.labels() != null) {
      // INVARIANT: labels come from the data DataPact holds, never from the request (issue 18)
      throw DataPactException.invalid(
          "`labels` are not accepted: DataPact attaches the labels of what it holds. Name a"
              + " `subject` (a user's first-party data; what partners pushed about them is read"
              + " through GET /api/v1/units/users/{userId}/signals) or a `segment` DataPact built");
    }
    if (body.at() != null) {
      // INVARIANT: an authorizing decision is made at DataPact's clock, never at a time the caller
      // names
      throw DataPactException.invalid(
          "`at` is not accepted: DataPact decides at its own clock; an operator or the "
              + "regulator may ask what would have been decided at a past time with POST "
              + WHAT_IF);
    }
    LabelSet held = LabelSet.EMPTY;
    String segment = body.segment();
    if (segment != null) {
      if (body.subject() != null) {
        throw DataPactException.invalid("name a `subject` or a `segment`, not both");
      }
      held = heldLabels(segment);
    }
    ReleasePipeline release = context.release();
    ReleasePipeline.Decided d =
        release.decide(
            parse(
                unit,
                new DecisionBody(
                    body.subject(), null, body.scope(), body.purpose(), body.onBehalfOf(), null),
                release.now(),
                held));
    ReleasePipeline.Receipt receipt =
        release.ask(new ReleasePipeline.Asked("POST /api/v1/decisions", null), d);
    receipt.headers().forEach(ctx::header);
    ctx.json(DecisionAnswer.of(receipt.decisionId(), d.decision()));
  }

  /**
   * @return the labels DataPact stored with a segment it built
   */
  private LabelSet heldLabels(String segment) throws DataPactException {
    long id;
    try {
      id = Long.parseLong(segment);
    } catch (NumberFormatException e) {
      throw DataPactException.invalid("`segment`: not a segment id: " + segment);
    }
    return new org.datapact.store.ads.AdsStore(context.db())
        .segment(id)
        .orElseThrow(() -> DataPactException.notFound("`segment`: no segment `" + id + "`"))
        .labels();
  }

  /**
   * The answer to a what-if question: the decision, and what it was asked about.
   *
   * @param decision the decision as a unit's answer carries it
   * @param whatIf always true: this decision authorizes nothing
   * @param at the past time it was decided at
   * @param principal whom it was asked about
   */
  record WhatIfAnswer(
      @JsonUnwrapped DecisionAnswer decision, boolean whatIf, String at, String principal) {}

  /**
   * What the decision point would have decided for a principal at a past time: recorded in the
   * ledger as a what-if (so a regulator's question is itself on the record) and answered with
   * {@code whatIf: true}. It authorizes nothing: no data leaves on it, and it counts against no
   * rate limit.
   */
  private void whatIf(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    WhatIfBody b = Json.body(ctx, context.mapper(), WhatIfBody.class);
    String name = b.principal();
    if (name == null || name.isBlank()) {
      throw DataPactException.invalid(
          "`principal` is required: the partner or unit the question is about");
    }
    Instant at = b.at();
    if (at == null) {
      throw DataPactException.invalid(
          "`at` is required: the time to decide at, e.g. `2012-06-01T00:00:00Z`");
    }
    ReleasePipeline release = context.release();
    if (at.isAfter(release.now())) {
      throw DataPactException.invalid("`at` must not be in the future, got `" + at + "`");
    }
    PartyId principal;
    try {
      principal = PartyId.of(name);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
    DecisionRequest request =
        parse(
            principal,
            new DecisionBody(b.subject(), b.labels(), b.scope(), b.purpose(), b.onBehalfOf(), null),
            at);
    Decision d = release.decideUnlimited(request);
    ReleasePipeline.Receipt receipt =
        release.whatIf(
            new ReleasePipeline.Asked("POST " + WHAT_IF, null),
            request,
            d,
            caller.role().wireName() + ":" + caller.handle());
    receipt.headers().forEach(ctx::header);
    ctx.json(
        new WhatIfAnswer(
            DecisionAnswer.of(receipt.decisionId(), d),
            true,
            request.at().toString(),
            principal.value()));
  }

  /**
   * @return the rule set a label names
   * @throws IllegalArgumentException naming the known rule sets when it is none of them (a country
   *     code such as `DE` is not a rule set: its users' data is labelled `EU`)
   */
  private static RuleSetId ruleSet(String id) {
    if (RULE_SETS.byId(id).isEmpty()) {
      throw new IllegalArgumentException(
          "unknown rule set `"
              + id
              + "` in a label's `jurisdiction`; known: "
              + RULE_SETS.all().stream()
                  .map(r -> r.id())
                  .sorted()
                  .collect(java.util.stream.Collectors.joining(", "))
              + " (a label names the rule set of its subject's country, e.g. `EU` for `DE`)");
    }
    return RuleSetId.of(id);
  }

  /** The rule sets the decision point knows (ServerContext loads it with the same catalogue). */
  private static final Jurisdictions RULE_SETS = Jurisdictions.standard();

  static DecisionRequest parse(PartyId principal, DecisionBody b, Instant now)
      throws DataPactException {
    return parse(principal, b, now, LabelSet.EMPTY);
  }

  /**
   * @param held labels DataPact holds for the dataset asked about (a segment's), besides the body's
   */
  static DecisionRequest parse(PartyId principal, DecisionBody b, Instant now, LabelSet held)
      throws DataPactException {
    String scopeName = b.scope();
    String purposeName = b.purpose();
    if (scopeName == null) {
      throw DataPactException.invalid("`scope` is required, e.g. `data.use`");
    }
    if (purposeName == null) {
      throw DataPactException.invalid("`purpose` is required, e.g. `recommendations`");
    }
    try {
      Scope scope = Scope.fromWire(scopeName);
      Purpose purpose = Purpose.fromWire(purposeName);
      Set<Label> labels = new HashSet<>(held.labels());
      List<LabelBody> bodies = b.labels();
      if (bodies != null) {
        for (LabelBody l : bodies) {
          String source = l == null ? null : l.source();
          String category = l == null ? null : l.category();
          String jurisdiction = l == null ? null : l.jurisdiction();
          if (source == null || category == null || jurisdiction == null) {
            throw DataPactException.invalid(
                "every label needs `source`, `category` and `jurisdiction`");
          }
          labels.add(
              new Label(
                  PartyId.of(source), DataCategory.fromWire(category), ruleSet(jurisdiction)));
        }
      }
      Long subject = b.subject();
      if (subject == null && labels.isEmpty()) {
        throw DataPactException.invalid(
            "name a `subject` user id, or a `segment` (for a what-if, the `labels`) of the dataset");
      }
      if (subject != null && subject <= 0) {
        throw DataPactException.invalid(
            "`subject` must be a positive user id, got `" + subject + "`");
      }
      String onBehalfOf = b.onBehalfOf();
      return new DecisionRequest(
          principal,
          subject == null ? null : UserId.of(subject),
          new LabelSet(labels),
          scope,
          purpose,
          now,
          onBehalfOf == null ? null : PartyId.of(onBehalfOf),
          0);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
  }
}
