package org.datapact.server.partner;

import io.javalin.http.Context;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.datapact.core.DataPactException;
import org.datapact.core.party.PartyId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Exchange;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.release.ReleaseUsage;
import org.datapact.server.session.Caller;
import org.datapact.store.partner.PartnerData;

/**
 * The partner API: the platform side of a data-sharing partnership. A partner app, with a
 * client-credentials token, reads a user's profile, friends and inbox ({@link PartnerReads}), sends
 * recommendations through the platform's messaging and pushes signals about users ({@link
 * PartnerWrites}). Users appear only as partner-scoped ids. Every call declares its {@code purpose}
 * and is one release through the pipeline: decided, limited, durable in the ledger before any data
 * leaves; the response names the decision and its ledger index, and a refusal is a 403 (429 for a
 * rate limit) with the decision.
 */
public final class PartnerFeature implements Feature {
  private final ServerContext context;
  private final PartnerReads reads;
  private final PartnerWrites writes;
  private final PartnerData data;

  /**
   * @param context the server's shared parts
   * @param base the server's public URL, which the click shim's links point at (configured, never
   *     taken from a request's {@code Host})
   */
  public PartnerFeature(ServerContext context, Supplier<URI> base) {
    this.context = context;
    PartnerCalls calls = new PartnerCalls(context);
    this.reads = new PartnerReads(context, calls);
    this.writes = new PartnerWrites(context, calls, base);
    this.data = new PartnerData(context.db());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(
            "/api/v1/connections", ctx -> reads.connections(Exchange.of(ctx)), Role.PARTNER_APP),
        // the reads and sends answered once their entry is durable: on Jetty's core API
        // (CoreRoutes)
        Route.coreGet("/api/v1/users/{userId}/profile", reads::profile, Role.PARTNER_APP),
        Route.coreGet("/api/v1/users/{userId}/friends", reads::friends, Role.PARTNER_APP),
        Route.coreGet("/api/v1/users/{userId}/inbox/threads", reads::threads, Role.PARTNER_APP),
        Route.coreGet(
            "/api/v1/users/{userId}/inbox/threads/{threadId}/messages",
            reads::messages,
            Role.PARTNER_APP),
        Route.corePost("/api/v1/users/{userId}/messages", writes::send, Role.PARTNER_APP),
        Route.post("/api/v1/activity", writes::activity, Role.PARTNER_APP),
        Route.get("/r/{token}", writes::click, Role.PUBLIC),
        Route.get("/api/v1/partner/usage", this::usage, Role.PARTNER, Role.PARTNER_APP));
  }

  /**
   * The partner's observed calls, its latest refusals, and its recommendations' sends and clicks
   * (90 days).
   */
  private void usage(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    PartyId partner = caller.requireParty();
    ReleaseUsage.View view = context.release().usage().view(partner);
    // this node's counts from memory, every other node's (and earlier starts') from the store
    Map<String, Map<String, Long>> calls =
        new org.datapact.store.cluster.UsageStore(context.db())
            .others(partner.value(), context.feed().nodeId());
    view.calls()
        .forEach(
            (endpoint, byEffect) ->
                byEffect.forEach(
                    (effect, n) ->
                        calls
                            .computeIfAbsent(endpoint, e -> new java.util.TreeMap<>())
                            .merge(effect, n, Long::sum)));
    Instant since = context.clock().instant().minus(Duration.ofDays(90));
    ctx.json(
        new PartnerAnswers.Usage(
            partner.value(), calls, view.recentDenials(), data.counts(partner, since)));
  }
}
