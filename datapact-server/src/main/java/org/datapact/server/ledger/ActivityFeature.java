package org.datapact.server.ledger;

import io.javalin.http.Context;
import java.util.List;
import org.datapact.core.DataPactException;
import org.datapact.server.ServerContext;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;

/**
 * The regulator's figures from the log: {@code GET /api/v1/ledger/activity}, over every node's
 * shard. The answering node counts its own shard, writes the counts to the store and asks the other
 * running nodes (an {@code activity} change on the feed) to write theirs; it waits up to {@link
 * #WAIT} for them, then adds every shard's counts up — a shard whose node is not running counts as
 * last written — and says how current each shard's figures are.
 */
public final class ActivityFeature implements Feature {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ActivityFeature.class);

  /** How long a view waits for the other running nodes' counts. */
  static final java.time.Duration WAIT = java.time.Duration.ofSeconds(3);

  private final ServerContext context;
  private final LedgerActivity activity;
  private final ShardReads bundles;

  /**
   * @param context the server's shared parts
   */
  public ActivityFeature(ServerContext context) {
    this.context = context;
    this.activity = new LedgerActivity(context.ledger(), context.mapper());
    // another node's bundle of this shard: PERIOD and the asking regulator, signed with this key
    this.bundles =
        new ShardReads(
            context,
            org.datapact.server.cluster.ChangeFeed.BUNDLE,
            args -> {
              if (args.size() != 2) {
                throw DataPactException.invalid("a malformed bundle read: " + args);
              }
              return bundleOf(parsePeriod(args.get(0)), args.get(1));
            });
    context
        .feed()
        .onAsked(
            org.datapact.server.cluster.ChangeFeed.ACTIVITY,
            detail -> {
              try {
                writeOwn();
              } catch (DataPactException | RuntimeException e) {
                LOG.atWarn()
                    .addKeyValue("error", String.valueOf(e.getMessage()))
                    .log("could not write this shard's activity for another node's view");
              }
            });
  }

  /** Counts this node's shard and writes the counts to the store. */
  private LedgerActivity.Activity writeOwn() throws DataPactException {
    LedgerActivity.Activity own = activity.now();
    try {
      new org.datapact.store.cluster.ClusterStore(context.db())
          .writeActivity(
              new org.datapact.store.cluster.ClusterStore.ShardActivity(
                  context.ledger().origin(),
                  context.feed().nodeId(),
                  own.entries(),
                  context.mapper().writeValueAsString(own),
                  context.clock().instant()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e); // INVARIANT: records of strings and numbers serialise
    }
    return own;
  }

  /**
   * One shard's part in a view.
   *
   * @param origin the shard
   * @param entries the entries its counts cover
   * @param countedAt when they were counted
   * @param current whether they were counted for this view (false: its node is not running, or did
   *     not answer within the wait; its last counts are used)
   */
  record ShardPart(String origin, long entries, java.time.Instant countedAt, boolean current) {}

  /**
   * The figures over every shard.
   *
   * @param entries the entries counted, all shards
   * @param releases releases by month, principal, agreement version, scope, purpose, jurisdiction
   * @param denials denials by month, principal, reason
   * @param consents consent changes by month, party, topic, grant or revoke
   * @param governance governance acts by month and action
   * @param shards each shard's part
   */
  record AllShards(
      long entries,
      List<LedgerActivity.Row> releases,
      List<LedgerActivity.Row> denials,
      List<LedgerActivity.Row> consents,
      List<LedgerActivity.Row> governance,
      List<ShardPart> shards) {}

  /**
   * @return the nodes whose counts were written at or after {@code asked}
   */
  private static java.util.Set<String> answeredSince(
      List<org.datapact.store.cluster.ClusterStore.ShardActivity> written,
      java.time.Instant asked) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (var a : written) {
      if (!a.at().isBefore(asked)) {
        out.add(a.nodeId());
      }
    }
    return out;
  }

  /**
   * @return every shard's counts added up, after asking the running nodes for theirs
   */
  AllShards allShards() throws DataPactException {
    var store = new org.datapact.store.cluster.ClusterStore(context.db());
    java.time.Instant asked = context.clock().instant();
    writeOwn();
    String me = context.feed().nodeId();
    java.util.Set<String> running = new java.util.HashSet<>();
    for (var n : store.nodes()) {
      if (!n.id().equals(me) && org.datapact.server.cluster.ChangeFeed.isLive(n.seenAt(), asked)) {
        running.add(n.id());
      }
    }
    List<org.datapact.store.cluster.ClusterStore.ShardActivity> written;
    if (running.isEmpty()) {
      written = store.activities();
    } else {
      context.feed().ask(org.datapact.server.cluster.ChangeFeed.ACTIVITY, "");
      try {
        // after the wait the counts are used as they are (a late shard as last counted)
        written =
            org.datapact.server.cluster.ChangeFeed.await(
                WAIT, store::activities, w -> answeredSince(w, asked).containsAll(running));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        written = store.activities();
      }
    }
    List<LedgerActivity.Activity> parts = new java.util.ArrayList<>();
    List<ShardPart> shards = new java.util.ArrayList<>();
    for (var a : written) {
      try {
        parts.add(context.mapper().readValue(a.activity(), LedgerActivity.Activity.class));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new DataPactException(
            org.datapact.core.ErrorKind.UNAVAILABLE,
            "shard " + a.origin() + "'s counts are unreadable: " + e.getMessage(),
            e);
      }
      shards.add(new ShardPart(a.origin(), a.entries(), a.at(), !a.at().isBefore(asked)));
    }
    LedgerActivity.Activity sum = LedgerActivity.sum(parts);
    return new AllShards(
        sum.entries(), sum.releases(), sum.denials(), sum.consents(), sum.governance(), shards);
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/ledger/activity", this::activity, Role.REGULATOR, Role.OPERATOR),
        Route.get("/api/v1/ledger/bundle", this::bundle, Role.REGULATOR));
  }

  /** The auditor bundle of {@code ?period=}, to download and verify offline. */
  private void bundle(Context ctx) throws DataPactException {
    String text = ctx.queryParam("period");
    var period = parsePeriod(text == null ? "" : text);
    String by = org.datapact.server.http.AccessControl.requireCaller(ctx).actor();
    String shard = ctx.queryParam("shard");
    if (bundles.isOther(shard)) {
      String body = bundles.read(shard, List.of(period.toString(), by));
      ctx.header(
          "Content-Disposition",
          "attachment; filename=\"datapact-auditor-bundle-"
              + period
              + "-"
              + shard.replaceAll("[^A-Za-z0-9.-]+", "-")
              + ".json\"");
      ctx.contentType("application/json").result(body);
      return;
    }
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\"datapact-auditor-bundle-" + period + ".json\"");
    ctx.json(bundleOf(period, by));
  }

  private static org.datapact.core.agreement.ReportPeriod parsePeriod(String text)
      throws DataPactException {
    try {
      return org.datapact.core.agreement.ReportPeriod.parseAny(text);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
  }

  /** This shard's bundle of {@code period}, made for {@code by}, signed with this shard's key. */
  private com.fasterxml.jackson.databind.node.ObjectNode bundleOf(
      org.datapact.core.agreement.ReportPeriod period, String by) throws DataPactException {
    return AuditorBundle.build(
        context.ledger(), activity.now(), period, by, context.clock().instant(), context.mapper());
  }

  private void activity(Context ctx) throws DataPactException {
    String shard = ctx.queryParam("shard");
    if (shard == null || shard.equals("all")) {
      ctx.json(allShards());
    } else if (shard.equals("this")) {
      ctx.json(activity.now());
    } else {
      throw DataPactException.invalid(
          "`shard` is `all` (the default) or `this`, got `" + shard + "`");
    }
  }
}
