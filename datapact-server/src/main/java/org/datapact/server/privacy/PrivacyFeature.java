package org.datapact.server.privacy;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.RuleSet;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.Purpose;
import org.datapact.core.user.User;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.store.party.PartyRepository;
import org.datapact.store.user.UserRepository;

/**
 * A user's consents: read them, grant and revoke per party and purpose (or the US video-sharing
 * consent), with the change persisted to the append-only history first and then published to the
 * decision point, so the very next decision sees it. Operators may browse any user's consents.
 */
public final class PrivacyFeature implements Feature {
  private static final String SOURCE = "privacy-center";

  private final ServerContext context;
  private final UserRepository users;
  private final PartyRepository parties;

  /**
   * @param context the server's shared parts
   */
  public PrivacyFeature(ServerContext context) {
    this.context = context;
    this.users = new UserRepository(context.db());
    this.parties = new PartyRepository(context.db());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/me/consents", this::mine, Role.USER),
        new Route(
            io.javalin.http.HandlerType.PUT,
            "/api/v1/me/consents/{party}/{purpose}",
            java.util.Set.of(Role.USER),
            this::grant,
            null),
        Route.delete("/api/v1/me/consents/{party}/{purpose}", this::revoke, Role.USER),
        Route.get("/api/v1/users/{userId}/consents", this::ofUser, Role.OPERATOR));
  }

  private void mine(Context ctx) throws DataPactException {
    ctx.json(view(AccessControl.requireCaller(ctx).requireUser()));
  }

  private void ofUser(Context ctx) throws DataPactException {
    ctx.json(view(org.datapact.server.http.PathParams.userId(ctx, "userId")));
  }

  private Map<String, Object> view(UserId userId) throws DataPactException {
    User user =
        users
            .find(userId)
            .orElseThrow(() -> DataPactException.notFound("no user `" + userId + "`"));
    RuleSet rules = context.decisions().snapshot().jurisdictions().of(user.country());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("userId", user.id().value());
    m.put("displayName", user.displayName());
    m.put("country", user.country().value());
    m.put("jurisdiction", rules.id());
    m.put("explicitConsentRequired", rules.explicitConsentRequired());
    m.put(
        "consents", context.policies().current(userId).stream().map(PrivacyFeature::json).toList());
    List<Map<String, Object>> options = new ArrayList<>();
    for (Party p : parties.all()) {
      if (p.kind() != PartyKind.PARTNER) {
        continue;
      }
      options.add(option(p.id().value(), p.displayName(), topics(rules, true)));
    }
    options.add(
        option(
            PolicySnapshot.PLATFORM.value(),
            "The platform's own units (ads, ranking, watch)",
            topics(rules, false)));
    m.put("options", options);
    m.put(
        "history", context.policies().history(userId).stream().map(PrivacyFeature::json).toList());
    return m;
  }

  private static List<String> topics(RuleSet rules, boolean partner) {
    List<String> t = new ArrayList<>();
    for (Purpose p : Purpose.values()) {
      t.add(p.wire());
    }
    if (partner
        && rules.specialConsents().values().stream()
            .anyMatch(s -> s.topic() == ConsentTopic.VIDEO_SHARING)) {
      t.add(ConsentTopic.VIDEO_SHARING.wire());
    }
    return t;
  }

  private static Map<String, Object> option(String party, String name, List<String> topics) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("party", party);
    m.put("displayName", name);
    m.put("topics", topics);
    return m;
  }

  private static Map<String, Object> json(ConsentChange c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("party", c.party().value());
    m.put("topic", c.topic().wire());
    m.put("action", c.granted() ? "grant" : "revoke");
    m.put("at", c.at().toString());
    if (c.expiresAt() != null) {
      m.put("expiresAt", c.expiresAt().toString());
    }
    m.put("basis", c.basis().wire());
    m.put("source", c.source());
    return m;
  }

  private record Target(PartyId party, ConsentTopic topic) {}

  private Target target(Context ctx) throws DataPactException {
    String party = ctx.pathParam("party");
    String purpose = ctx.pathParam("purpose");
    ConsentTopic topic;
    try {
      topic = ConsentTopic.fromWire(purpose);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
    PartyId id;
    try {
      id = PartyId.of(party);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
    boolean known =
        id.equals(PolicySnapshot.PLATFORM)
            || parties.find(id).map(p -> p.kind() == PartyKind.PARTNER).orElse(false);
    if (!known) {
      throw DataPactException.notFound(
          "no partner `" + party + "` to consent to; see GET /api/v1/me/consents for the options");
    }
    if (topic == ConsentTopic.VIDEO_SHARING && id.equals(PolicySnapshot.PLATFORM)) {
      throw DataPactException.invalid(
          "the video-sharing consent is given to a partner, not to the platform");
    }
    return new Target(id, topic);
  }

  private void grant(Context ctx) throws DataPactException {
    UserId user = AccessControl.requireCaller(ctx).requireUser();
    Target t = target(ctx);
    Instant now = context.clock().instant();
    Instant expires = null;
    if (t.topic() == ConsentTopic.VIDEO_SHARING) {
      User u =
          users
              .find(user)
              .orElseThrow(() -> DataPactException.notFound("your user record no longer exists"));
      RuleSet rules = context.decisions().snapshot().jurisdictions().of(u.country());
      var special =
          rules.specialConsents().values().stream()
              .filter(s -> s.topic() == ConsentTopic.VIDEO_SHARING)
              .findFirst();
      if (special.isEmpty()) {
        throw DataPactException.invalid(
            "the video-sharing consent does not apply under `" + rules.id() + "` rules");
      }
      expires = now.plus(special.get().maxValidity());
    }
    ConsentChange change =
        ConsentChange.grant(
            user, t.party(), t.topic(), now, expires, ConsentBasis.EXPLICIT, SOURCE);
    long index = record(change);
    Map<String, Object> answer = json(change);
    answer.put("ledgerIndex", index);
    answer.put("receipt", ReceiptsFeature.href(index));
    ctx.json(answer);
  }

  private void revoke(Context ctx) throws DataPactException {
    UserId user = AccessControl.requireCaller(ctx).requireUser();
    Target t = target(ctx);
    long index =
        record(ConsentChange.revoke(user, t.party(), t.topic(), context.clock().instant(), SOURCE));
    // the answer keeps no body (204); the receipt of the revocation is linked
    ctx.header("Link", "<" + ReceiptsFeature.href(index) + ">; rel=\"receipt\"");
    ctx.status(204);
  }

  /**
   * INVARIANT: the change is in the ledger first, then in the consent history, then in the decision
   * point: no consent change ever takes effect unaudited, and a failure before the last step
   * changes no decision.
   */
  private long record(ConsentChange change) throws DataPactException {
    return record(context, change);
  }

  /**
   * Records a consent change: the ledger, the history, then the decision point, in one order for
   * every change (the privacy center and the authorization dialog alike).
   *
   * @return the ledger index, which names its receipt
   */
  public static long record(ServerContext context, ConsentChange change) throws DataPactException {
    synchronized (
        context.decisions()) { // the ledger, the history and the snapshot see changes in one order
      long index = context.audit().consent(change);
      context.decisions().apply(change);
      return index;
    }
  }
}
