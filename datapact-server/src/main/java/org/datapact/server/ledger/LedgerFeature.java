package org.datapact.server.ledger;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.user.UserId;
import org.datapact.ledger.checkpoint.Checkpoint;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;

/**
 * The ledger over HTTP. Public: the latest signed checkpoint (JSON and the C2SP note), the public
 * key, and inclusion and consistency proofs — hashes, never entries — so anyone can check the log
 * without trusting the operator. Entries themselves: any entry for the regulator, a user's own
 * entries for that user, with personal fields opened unless erased. Erasure (crypto-shredding): by
 * the user, or by an operator on the user's request.
 */
public final class LedgerFeature implements Feature {
  private final ServerContext context;
  private final ShardReads shards;

  /**
   * @param context the server's shared parts
   */
  public LedgerFeature(ServerContext context) {
    this.context = context;
    this.shards =
        new ShardReads(context, org.datapact.server.cluster.ChangeFeed.READ, this::answerLocally);
  }

  /**
   * What this node answers another node's read of its shard: {@code entry INDEX}, {@code replay
   * INDEX} or {@code entries FROM LIMIT} (FROM empty for the latest), as its own routes would.
   */
  private Object answerLocally(List<String> args) throws DataPactException {
    String what = args.isEmpty() ? "" : args.get(0);
    try {
      return switch (what) {
        case "entry" -> context.audit().entry(checkIndex(Long.parseLong(args.get(1))));
        case "replay" -> replayOf(checkIndex(Long.parseLong(args.get(1))));
        case "entries" ->
            page(
                args.get(1).isEmpty() ? null : Long.parseLong(args.get(1)),
                Integer.parseInt(args.get(2)),
                context.ledger().origin());
        default -> throw DataPactException.invalid("no read `" + what + "` of a shard");
      };
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw DataPactException.invalid("a malformed read of this shard: " + args);
    }
  }

  /**
   * Answers a read of another node's shard ({@code ?shard=}) with what that node answered.
   *
   * @return whether the request named another node's shard (and was answered)
   */
  private boolean answeredByItsShard(Context ctx, List<String> args) throws DataPactException {
    String shard = ctx.queryParam("shard");
    if (!shards.isOther(shard)) {
      return false;
    }
    String answer = shards.read(shard, args); // before the content type: a refusal is a problem
    ctx.contentType("application/json").result(answer);
    return true;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/ledger/checkpoint", this::checkpoint, Role.PUBLIC),
        Route.get("/api/v1/ledger/public-key", this::publicKey, Role.PUBLIC),
        Route.get("/api/v1/ledger/shards", this::shards, Role.PUBLIC),
        Route.get("/api/v1/ledger/proofs/inclusion", this::inclusion, Role.PUBLIC),
        Route.get("/api/v1/ledger/proofs/consistency", this::consistency, Role.PUBLIC),
        Route.get("/api/v1/ledger/entries", this::entries, Role.REGULATOR),
        Route.get("/api/v1/ledger/entries/{index}", this::entry, Role.REGULATOR),
        Route.get("/api/v1/ledger/entries/{index}/replay", this::replay, Role.REGULATOR),
        Route.get("/api/v1/me/ledger", this::mine, Role.USER),
        Route.post("/api/v1/me/erasure", this::eraseMe, Role.USER),
        Route.get("/api/v1/me/ledger/{index}/evidence", this::evidence, Role.USER),
        Route.post("/api/v1/users/{userId}/erasure", this::eraseUser, Role.OPERATOR));
  }

  /** Most entries one page returns. */
  static final int MAX_PAGE = 100;

  private void entry(Context ctx) throws DataPactException {
    long index = org.datapact.server.http.PathParams.ledgerIndex(ctx, "index");
    if (!answeredByItsShard(ctx, List.of("entry", Long.toString(index)))) {
      ctx.json(context.audit().entry(checkIndex(index)));
    }
  }

  /**
   * Re-decides a decision entry from the log alone and answers its inputs (the request, the
   * agreement version's terms, the subject's consent changes) beside the recorded and replayed
   * outcome.
   */
  private void replay(Context ctx) throws DataPactException {
    long index = org.datapact.server.http.PathParams.ledgerIndex(ctx, "index");
    if (!answeredByItsShard(ctx, List.of("replay", Long.toString(index)))) {
      ctx.json(replayOf(checkIndex(index)));
    }
  }

  private LedgerReplay.Result replayOf(long index) throws DataPactException {
    LedgerService ledger = context.ledger();
    try (var log = org.datapact.ledger.log.LogReader.open(ledger.directory().resolve("log"))) {
      int shards = new org.datapact.store.cluster.ClusterStore(context.db()).shards().size();
      return LedgerReplay.replay(log, ledger.subjects(), index, context.mapper(), shards);
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot replay entry " + index + ": " + e.getMessage(), e);
    }
  }

  /**
   * One ledger shard as the nodes list them.
   *
   * @param origin the log's origin line (a receipt's {@code X-DataPact-Ledger-Shard})
   * @param verifierKey its C2SP verifier key
   * @param treeSize the size of its newest checkpoint the node listed
   * @param checkpoint that signed checkpoint (verify it with the key), or null before the first
   * @param seenAt when its node last listed it (once a second while it runs)
   * @param thisNode whether the node answering writes it (its proofs are served here)
   */
  record ShardAnswer(
      String origin,
      String verifierKey,
      long treeSize,
      @org.jspecify.annotations.Nullable String checkpoint,
      java.time.Instant seenAt,
      boolean thisNode) {}

  /** Every ledger shard there is (one per node that ever ran on this database). */
  private void shards(Context ctx) throws DataPactException {
    // a store outage becomes the edge's 503 (StoreHealth)
    var all = new org.datapact.store.cluster.ClusterStore(context.db()).shards();
    String mine = context.ledger().origin();
    ctx.json(
        Map.of(
            "shards",
            all.stream()
                .map(
                    s ->
                        new ShardAnswer(
                            s.origin(),
                            s.verifierKey(),
                            s.treeSize(),
                            s.checkpoint(),
                            s.seenAt(),
                            s.origin().equals(mine)))
                .toList()));
  }

  private long pathIndex(Context ctx) throws DataPactException {
    return checkIndex(org.datapact.server.http.PathParams.ledgerIndex(ctx, "index"));
  }

  private long checkIndex(long index) throws DataPactException {
    long have = context.ledger().log().size();
    if (index >= have) {
      throw DataPactException.notFound("no entry " + index + " in a log of " + have);
    }
    return index;
  }

  private static int limit(Context ctx) throws DataPactException {
    if (ctx.queryParam("limit") == null) {
      return 20;
    }
    long n = param(ctx, "limit");
    if (n < 1 || n > MAX_PAGE) {
      throw DataPactException.invalid("`limit` must be between 1 and " + MAX_PAGE + ", got " + n);
    }
    return (int) n;
  }

  private void entries(Context ctx) throws DataPactException {
    Long from = ctx.queryParam("from") == null ? null : param(ctx, "from");
    int limit = limit(ctx);
    if (!answeredByItsShard(
        ctx,
        List.of("entries", from == null ? "" : Long.toString(from), Integer.toString(limit)))) {
      ctx.json(page(from, limit, ctx.queryParam("shard")));
    }
  }

  /**
   * @param from the first entry, or null for the latest page
   * @param shard the {@code shard} the next page's link names, or null for none
   */
  private EntriesPage page(
      @org.jspecify.annotations.Nullable Long from,
      int limit,
      @org.jspecify.annotations.Nullable String shard)
      throws DataPactException {
    if (limit < 1 || limit > MAX_PAGE) {
      throw DataPactException.invalid(
          "`limit` must be between 1 and " + MAX_PAGE + ", got " + limit);
    }
    long have = context.ledger().log().size();
    long first = from == null ? Math.max(0, have - 20) : from;
    List<Object> out = new java.util.ArrayList<>();
    for (long i = first; i < Math.min(have, first + limit); i++) {
      out.add(context.audit().entry(i));
    }
    String next =
        first + limit >= have
            ? null
            : "/api/v1/ledger/entries?from="
                + (first + limit)
                + "&limit="
                + limit
                + (shard == null
                    ? ""
                    : "&shard="
                        + java.net.URLEncoder.encode(
                            shard, java.nio.charset.StandardCharsets.UTF_8));
    return new EntriesPage(have, first, out, next);
  }

  /**
   * A page of the log's entries as the regulator sees them.
   *
   * @param size the log's size
   * @param from the page's first entry
   * @param next the link to the following page; absent on the last
   */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record EntriesPage(
      long size, long from, List<Object> entries, @org.jspecify.annotations.Nullable String next) {}

  private void mine(Context ctx) throws DataPactException {
    var user = AccessControl.requireCaller(ctx).requireUser();
    long before = ctx.queryParam("before") == null ? Long.MAX_VALUE : param(ctx, "before");
    int limit = limit(ctx);
    var list = context.audit().entriesOf(user, before, limit);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entries", list);
    if (list.size() == limit) {
      m.put(
          "next",
          "/api/v1/me/ledger?before="
              + list.get(list.size() - 1).get("index").asLong()
              + "&limit="
              + limit);
    }
    ctx.json(m);
  }

  /**
   * What a user's browser needs to check one of their entries itself: its bytes, the signed
   * checkpoint that covers it, the audit path between them and the public key. Another user's entry
   * is not found (the same answer as no entry).
   */
  private void evidence(Context ctx) throws DataPactException {
    var user = AccessControl.requireCaller(ctx).requireUser();
    long index = pathIndex(ctx);
    byte[] entry =
        context
            .audit()
            .ownEntry(user, index)
            .orElseThrow(() -> DataPactException.notFound("no entry " + index + " of yours"));
    LedgerService ledger = context.ledger();
    Signed signed = signed();
    String note = signed.note();
    Checkpoint c = signed.checkpoint();
    if (index >= c.size()) {
      ctx.header("Retry-After", "1");
      throw new DataPactException(
          ErrorKind.UNAVAILABLE,
          "entry "
              + index
              + " is not yet covered by a signed checkpoint; one is signed each second");
    }
    ctx.json(
        new Evidence(
            index,
            b64(entry),
            c.size(),
            note,
            ledger.keys().name(),
            b64(ledger.keys().rawPublicKey()),
            ledger.log().inclusionProof(index, c.size()).stream()
                .map(LedgerFeature::b64)
                .toList()));
  }

  /** What a browser needs to check an entry itself; bytes and hashes in base64. */
  record Evidence(
      long index,
      String entry,
      long size,
      String checkpoint,
      String keyName,
      String publicKey,
      java.util.List<String> auditPath) {}

  private void eraseMe(Context ctx) throws DataPactException {
    var caller = AccessControl.requireCaller(ctx);
    erase(ctx, caller.requireUser(), "user");
  }

  private void eraseUser(Context ctx) throws DataPactException {
    UserId user = org.datapact.server.http.PathParams.userId(ctx, "userId");
    if (new org.datapact.store.user.UserRepository(context.db()).find(user).isEmpty()) {
      throw DataPactException.notFound("no user `" + user.value() + "`");
    }
    erase(ctx, user, "operator:" + AccessControl.requireCaller(ctx).handle());
  }

  private void erase(Context ctx, UserId user, String by) throws DataPactException {
    java.util.Optional<String> erased;
    long size;
    java.time.Instant now = context.clock().instant();
    // read before the ledger identity that links those entries to the user is destroyed
    java.util.Map<org.datapact.core.party.PartyId, String> recipients = recipientsOf(user);
    synchronized (context.decisions()) { // no consent change interleaves with the carry-over
      erased =
          context
              .audit()
              .erase(context.decisions(), user, by, now, context.policies().current(user));
      size = context.ledger().log().size();
      // every other node erases its own ledger key for the user too
      context.feed().publish("erasure", user.value() + "|" + context.feed().nodeId());
    }
    var erasures = new org.datapact.store.privacy.ErasureStore(context.db());
    String erasureId = java.util.UUID.randomUUID().toString();
    // the durable outbox: one notice per partner, delivered and retried until confirmed
    erasures.request(erasureId, user, now, now.plus(java.time.Duration.ofDays(30)), by, recipients);
    erasures.anonymize(user);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("erased", erased.isPresent());
    m.put("erasureId", erasureId);
    m.put("partnersNotified", recipients.keySet().stream().map(p -> p.value()).toList());
    m.put("ledgerSize", size);
    m.put(
        "detail",
        erased.isPresent()
            ? "the ledger key and pseudonym were destroyed: earlier entries about this user can no longer be opened or linked"
                + " to them; every proof still verifies"
            : "the ledger held no key for this user");
    ctx.json(m);
  }

  /**
   * @return who received the user's data — the partners of allowed decisions about them — each with
   *     the user's id for that partner
   */
  private java.util.Map<org.datapact.core.party.PartyId, String> recipientsOf(UserId user)
      throws DataPactException {
    java.util.Map<org.datapact.core.party.PartyId, String> recipients = new java.util.TreeMap<>();
    var kinds = context.decisions().snapshot().partyKinds();
    long before = Long.MAX_VALUE;
    while (true) {
      var page = context.audit().entriesOf(user, before, 100);
      for (var e : page) {
        String principal = e.path("principal").asText("");
        if ("decision".equals(e.path("type").asText())
            && "allow".equals(e.path("effect").asText())
            && principal.matches("[a-z][a-z0-9-]{1,31}")) {
          var party = org.datapact.core.party.PartyId.of(principal);
          if (kinds.get(party) == org.datapact.core.party.PartyKind.PARTNER) {
            recipients.put(party, context.partnerIds().of(party, user));
          }
        }
      }
      if (page.size() < 100) {
        return recipients;
      }
      before = page.get(page.size() - 1).get("index").asLong();
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /** The latest signed checkpoint: its note and what it says. */
  private record Signed(String note, Checkpoint checkpoint) {}

  /**
   * @return the checkpoint the ticker signed last, its signature checked
   */
  private Signed signed() throws DataPactException {
    LedgerService ledger = context.ledger();
    String note;
    try {
      note = ledger.checkpoint();
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot read the signed checkpoint: " + e.getMessage(), e);
    }
    return new Signed(note, Notes.verify(note, ledger.keys().name(), ledger.keys().rawPublicKey()));
  }

  private void checkpoint(Context ctx) throws DataPactException {
    LedgerService ledger = context.ledger();
    Signed signed = signed();
    String note = signed.note();
    Checkpoint c = signed.checkpoint();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("origin", c.origin());
    m.put("size", c.size());
    m.put("rootHash", b64(c.rootHash()));
    m.put("timestamp", c.timestamp().toString());
    m.put("keyName", ledger.keys().name());
    m.put("note", note);
    ctx.json(m);
  }

  private void publicKey(Context ctx) {
    SigningKeysView v =
        new SigningKeysView(
            context.ledger().keys().name(),
            b64(context.ledger().keys().rawPublicKey()),
            context.ledger().keys().verifierKey());
    ctx.json(v);
  }

  /** The public key's wire form. */
  record SigningKeysView(String name, String publicKey, String verifierKey) {}

  private static long param(Context ctx, String name) throws DataPactException {
    String v = ctx.queryParam(name);
    if (v == null) {
      throw DataPactException.invalid("query parameter `" + name + "` is required");
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw DataPactException.invalid(
          "query parameter `" + name + "` must be a non-negative number, got `" + v + "`");
    }
  }

  private void inclusion(Context ctx) throws DataPactException {
    long index = param(ctx, "index");
    long size = param(ctx, "size");
    long have = context.ledger().log().size();
    if (size == 0 || size > have || index >= size) {
      throw DataPactException.invalid(
          "need `index` < `size` <= "
              + have
              + " (the log's size); got index "
              + index
              + ", size "
              + size);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", index);
    m.put("size", size);
    m.put("leafHash", b64(context.ledger().log().hash(index, index + 1)));
    m.put(
        "auditPath",
        context.ledger().log().inclusionProof(index, size).stream()
            .map(LedgerFeature::b64)
            .toList());
    ctx.json(m);
  }

  private void consistency(Context ctx) throws DataPactException {
    long first = param(ctx, "first");
    long second = param(ctx, "second");
    long have = context.ledger().log().size();
    if (first > second || second > have) {
      throw DataPactException.invalid(
          "need `first` <= `second` <= "
              + have
              + " (the log's size); got "
              + first
              + ", "
              + second);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("first", first);
    m.put("second", second);
    m.put("firstRoot", b64(context.ledger().log().root(first)));
    m.put("secondRoot", b64(context.ledger().log().root(second)));
    m.put(
        "proof",
        context.ledger().log().consistencyProof(first, second).stream()
            .map(LedgerFeature::b64)
            .toList());
    ctx.json(m);
  }
}
