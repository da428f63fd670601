package org.datapact.server.transparency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.transparency.Cell;
import org.datapact.server.ServerContext;
import org.datapact.server.cluster.ChangeFeed;
import org.datapact.store.cluster.ClusterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transparency report across ledger shards: the publishing node asks every other node over the
 * change feed to count its shard's releases of the period, each writes its exact counts to the
 * store under the request, and the publisher adds them to its own before drawing the noise once. A
 * shard whose node is not running cannot be counted: publishing is refused (409), never an
 * undercount.
 */
final class ShardCounts implements TransparencyReports.OtherShards {
  private static final Logger LOG = LoggerFactory.getLogger(ShardCounts.class);

  /** How long a publication waits for the other nodes' counts (10^7 entries take ~15 s). */
  static final Duration WAIT = Duration.ofSeconds(60);

  private final ServerContext context;
  private final ObjectMapper mapper;

  ShardCounts(ServerContext context) {
    this.context = context;
    this.mapper = context.mapper();
    context.feed().onAsked(ChangeFeed.COUNT, this::countFor);
  }

  /** Counts this node's shard for another node's request {@code id|fromMillis|untilMillis}. */
  private void countFor(String detail) {
    String[] d = detail.split("\\|", -1);
    try {
      var counted =
          TransparencyReports.countShard(
              context.audit(),
              Instant.ofEpochMilli(Long.parseLong(d[1])),
              Instant.ofEpochMilli(Long.parseLong(d[2])));
      new ClusterStore(context.db())
          .writeReleaseCount(
              d[0],
              new ClusterStore.ShardCount(
                  context.ledger().origin(),
                  context.feed().nodeId(),
                  counted.entries(),
                  mapper.writeValueAsString(json(counted))),
              context.clock().instant());
    } catch (IOException | RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("error", String.valueOf(e.getMessage()))
          .log("could not count this shard's releases for another node's transparency release");
    }
  }

  private ObjectNode json(ReleaseCounter.Counts c) {
    ObjectNode o = mapper.createObjectNode();
    ArrayNode partners = o.putArray("partners");
    c.partners().forEach(partners::add);
    ArrayNode cells = o.putArray("cells");
    c.counts()
        .forEach(
            (k, v) ->
                cells
                    .addArray()
                    .add(k.partner())
                    .add(k.scope())
                    .add(k.purpose())
                    .add(k.country())
                    .add(v));
    return o;
  }

  private ReleaseCounter.Counts parse(ClusterStore.ShardCount s) throws IOException {
    JsonNode o = mapper.readTree(s.counts());
    Set<String> partners = new TreeSet<>();
    o.path("partners").forEach(p -> partners.add(p.asText()));
    Map<Cell, Long> counts = new HashMap<>();
    for (JsonNode c : o.path("cells")) {
      counts.put(
          new Cell(c.get(0).asText(), c.get(1).asText(), c.get(2).asText(), c.get(3).asText()),
          c.get(4).asLong());
    }
    return new ReleaseCounter.Counts(counts, partners, s.entries());
  }

  @Override
  public ReleaseCounter.Counts count(List<String> others, Instant from, Instant until)
      throws DataPactException {
    var store = new ClusterStore(context.db());
    Instant now = context.clock().instant();
    Map<String, Instant> seen = new HashMap<>();
    store.nodes().forEach(n -> seen.put(n.id(), n.seenAt()));
    for (var shard : store.shards()) {
      if (others.contains(shard.origin())) {
        Instant at = seen.get(shard.nodeId());
        if (at == null || !ChangeFeed.isLive(at, now)) {
          throw new DataPactException(
              ErrorKind.CONFLICT,
              "ledger shard "
                  + shard.origin()
                  + " cannot be counted: its node is not running (last seen "
                  + (at == null ? "never" : at.toString())
                  + "); start it, then publish: a report without its releases would undercount");
        }
      }
    }
    String request = UUID.randomUUID().toString();
    context
        .feed()
        .ask(ChangeFeed.COUNT, request + "|" + from.toEpochMilli() + "|" + until.toEpochMilli());
    List<ClusterStore.ShardCount> written;
    try {
      written =
          ChangeFeed.await(
              WAIT, () -> store.releaseCounts(request), w -> originsOf(w).containsAll(others));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataPactException(ErrorKind.UNAVAILABLE, "interrupted while counting shards", e);
    }
    boolean all = originsOf(written).containsAll(others);
    if (!all) {
      Set<String> missing = new TreeSet<>(others);
      missing.removeAll(originsOf(written));
      throw new DataPactException(
          ErrorKind.UNAVAILABLE,
          "ledger shards "
              + String.join(", ", missing)
              + " did not count their releases within "
              + WAIT.toSeconds()
              + " s; nothing was published or spent");
    }
    ReleaseCounter.Counts sum = new ReleaseCounter.Counts(Map.of(), Set.of(), 0);
    try {
      for (var w : written) {
        if (others.contains(w.origin())) {
          sum = ReleaseCounter.add(sum, parse(w));
        }
      }
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "a shard's counts are unreadable: " + e.getMessage(), e);
    }
    return sum;
  }

  private static Set<String> originsOf(List<ClusterStore.ShardCount> written) {
    Set<String> out = new HashSet<>();
    written.forEach(w -> out.add(w.origin()));
    return out;
  }
}
