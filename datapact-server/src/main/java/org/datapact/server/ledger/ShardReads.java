package org.datapact.server.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.server.ServerContext;
import org.datapact.server.cluster.ChangeFeed;
import org.datapact.store.cluster.ClusterStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regulator's per-entry tools over every ledger shard: each node writes its own shard on its
 * own disk, so a read of another node's shard (an entry, its replay, a page of entries, an auditor
 * bundle) is asked of that node over the change feed. The node writing the shard computes what it
 * would have answered itself — the same code, its own keys opening the personal fields — and writes
 * the HTTP status and JSON body to the store, where the asker takes it once (deleting it) and
 * answers it verbatim. A shard whose node is not running cannot be read: 503, naming the shard.
 *
 * <p>One instance per kind of read, each with the code that answers it locally. Thread-safe.
 */
final class ShardReads {
  private static final Logger LOG = LoggerFactory.getLogger(ShardReads.class);

  /** How long a read waits for the other node's answer. */
  static final Duration WAIT = Duration.ofSeconds(10);

  /** What this node answers for a read of its own shard. */
  @FunctionalInterface
  interface Local {
    /**
     * @return the JSON-serialisable answer to a read with these arguments
     * @throws DataPactException as this node's own route would (404, 400, 503)
     */
    Object answer(List<String> args) throws DataPactException;
  }

  private final ServerContext context;
  private final String kind;
  private final Local local;

  /**
   * Answers the reads of kind {@code kind} that other nodes ask of this node's shard.
   *
   * @param kind the change-feed kind of these reads (one per kind of read)
   */
  ShardReads(ServerContext context, String kind, Local local) {
    this.context = context;
    this.kind = kind;
    this.local = local;
    context.feed().onAsked(kind, this::answer);
  }

  /**
   * @param shard the {@code ?shard=} a request named, or null
   * @return whether it names a shard other than this node's (one to ask its node for)
   */
  boolean isOther(@Nullable String shard) {
    return shard != null && !shard.equals(context.ledger().origin());
  }

  /**
   * Asks the node writing {@code shard} for its answer to a read with {@code args}.
   *
   * @return the JSON body that node answered
   * @throws DataPactException not found when there is no such shard; unavailable when its node is
   *     not running or does not answer within {@link #WAIT}; what that node's route threw otherwise
   */
  String read(String shard, List<String> args) throws DataPactException {
    var store = new ClusterStore(context.db());
    Instant now = context.clock().instant();
    ClusterStore.Shard target =
        store.shards().stream()
            .filter(s -> s.origin().equals(shard))
            .findFirst()
            .orElseThrow(
                () ->
                    DataPactException.notFound(
                        "no ledger shard `" + shard + "` (GET /api/v1/ledger/shards lists them)"));
    Optional<Instant> seen =
        store.nodes().stream()
            .filter(n -> n.id().equals(target.nodeId()))
            .map(ClusterStore.Node::seenAt)
            .findFirst();
    if (seen.isEmpty() || !ChangeFeed.isLive(seen.get(), now)) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE,
          "ledger shard "
              + shard
              + " cannot be read: its node is not running (last seen "
              + seen.map(Instant::toString).orElse("never")
              + "); start it, or read a copy of its ledger directory with `datapact ledger`");
    }
    String request = UUID.randomUUID().toString();
    List<String> detail = new ArrayList<>();
    detail.add(request);
    detail.add(shard);
    detail.addAll(args);
    context.feed().ask(kind, String.join("|", detail.stream().map(ShardReads::enc).toList()));
    Optional<ClusterStore.ShardRead> answer;
    try {
      answer = ChangeFeed.await(WAIT, () -> store.takeRead(request), Optional::isPresent);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "interrupted while reading ledger shard " + shard, e);
    }
    if (answer.isEmpty()) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE,
          "ledger shard "
              + shard
              + "'s node did not answer within "
              + WAIT.toSeconds()
              + " s; try again");
    }
    ClusterStore.ShardRead a = answer.get();
    if (a.status() == 200) {
      return a.body();
    }
    throw failure(shard, a);
  }

  private DataPactException failure(String shard, ClusterStore.ShardRead a) {
    ErrorKind kind = ErrorKind.UNAVAILABLE;
    String detail = a.body();
    try {
      JsonNode problem = context.mapper().readTree(a.body());
      detail = problem.path("detail").asText(detail);
      String slug = problem.path("kind").asText("");
      kind =
          Arrays.stream(ErrorKind.values())
              .filter(k -> k.slug().equals(slug))
              .findFirst()
              .orElse(kind);
    } catch (JsonProcessingException e) {
      // the body as written is the detail
    }
    return new DataPactException(kind, "ledger shard " + shard + ": " + detail);
  }

  /** Answers another node's read {@code request|shard|args…} when it names this node's shard. */
  private void answer(String detail) {
    List<String> d = Arrays.stream(detail.split("\\|", -1)).map(ShardReads::dec).toList();
    String origin = context.ledger().origin();
    if (d.size() < 2 || !d.get(1).equals(origin)) {
      return; // another shard's read: its own node answers
    }
    ClusterStore.ShardRead answer;
    try {
      answer =
          new ClusterStore.ShardRead(
              origin,
              200,
              context.mapper().writeValueAsString(local.answer(d.subList(2, d.size()))));
    } catch (DataPactException e) {
      answer = new ClusterStore.ShardRead(origin, e.kind().httpStatus(), problem(e.kind(), e));
    } catch (JsonProcessingException | RuntimeException e) {
      answer =
          new ClusterStore.ShardRead(
              origin, ErrorKind.UNAVAILABLE.httpStatus(), problem(ErrorKind.UNAVAILABLE, e));
    }
    try {
      new ClusterStore(context.db()).answerRead(d.get(0), answer, context.clock().instant());
    } catch (RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("error", String.valueOf(e.getMessage()))
          .log("could not write this shard's answer to another node's read");
    }
  }

  /** A failed read as the shard's node writes it: the failure's kind and what it said. */
  record Failure(String kind, String detail) {}

  private String problem(ErrorKind kind, Exception e) {
    try {
      return context
          .mapper()
          .writeValueAsString(new Failure(kind.slug(), String.valueOf(e.getMessage())));
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible); // INVARIANT: a record of two strings serialises
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
