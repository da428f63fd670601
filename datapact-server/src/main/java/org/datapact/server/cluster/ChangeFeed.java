package org.datapact.server.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.Filing;
import org.datapact.core.decision.DecisionPoint;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.store.Database;
import org.datapact.store.cluster.ClusterStore;
import org.datapact.store.policy.PolicyStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's decision point current with the changes other nodes make on the same database,
 * using only the database (it runs on H2 and PostgreSQL alike): every consent change and every
 * other policy change (an agreement's status or draft, a filed report, a registered party) is
 * numbered per node in the order that node applied it, and each node polls every {@link #POLL} for
 * the other nodes' changes after the last it applied, and applies them in their order. A node knows
 * how current it is: the start of its last successful poll. When that is older than {@link
 * #MAX_STALENESS} — the database does not answer, or the poller is stuck — {@link #staleness} says
 * so, and the release pipeline refuses every allow (503) rather than release on a policy another
 * node may have revoked.
 *
 * <p>Changes are applied at least once: a change written between reading the other nodes' heads and
 * loading the snapshot at start may be applied twice, which leaves every decision the same (a
 * consent granted twice is granted).
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  /** How often a node polls for the others' changes. */
  public static final Duration POLL = Duration.ofMillis(100);

  /** The oldest a node's view of the others' changes may be before it refuses allows. */
  public static final Duration MAX_STALENESS = Duration.ofSeconds(2);

  private static final int BATCH = 1_000;

  /** Polls between two writes of the usage counts (every second). */
  private static final int USAGE_EVERY = 10;

  private long polls;

  private final String nodeId = UUID.randomUUID().toString();
  private final Database db;
  private final DecisionPoint decisions;
  private final Clock clock;
  private final org.datapact.server.oauth.AccessTokens tokens;
  private final org.datapact.server.ledger.AuditTrail audit;
  private volatile java.util.function.IntConsumer liveNodes = n -> {};
  private volatile java.util.function.Supplier<List<org.datapact.store.cluster.UsageStore.Count>>
      usage = List::of;

  /** Writes what {@code counts} gives (this node's release counts) at every poll. */
  public void persistUsage(
      java.util.function.Supplier<List<org.datapact.store.cluster.UsageStore.Count>> counts) {
    this.usage = counts;
  }

  /** How recently a node must have polled to count as live (for sharing rate limits). */
  public static final Duration LIVE = Duration.ofSeconds(10);

  /**
   * @param seenAt when a node last polled (its {@code cluster_node.seen_at})
   * @return whether that node counts as live at {@code now}: seen within {@link #LIVE}
   */
  public static boolean isLive(java.time.Instant seenAt, java.time.Instant now) {
    return seenAt.isAfter(now.minus(LIVE));
  }

  /** Tells {@code listener} after every poll how many nodes are live, this one included. */
  public void onLiveNodes(java.util.function.IntConsumer listener) {
    this.liveNodes = listener;
  }

  private final Map<String, long[]> cursors = new HashMap<>();
  private long seq;
  private volatile long freshAt;
  private volatile boolean started;
  private boolean failing;
  private @Nullable ScheduledExecutorService poller;

  /**
   * @param heads the other nodes' heads ({@link ClusterStore#heads}), read before the decision
   *     point's snapshot was loaded, so that nothing written in between is missed
   * @param tokens the access tokens: a party's ended when another node changed its agreement, a
   *     client's when another node rotated or retired it, the keys reloaded when another node
   *     rotated them
   * @param audit this node's ledger: a user another node erased is erased here too
   */
  public ChangeFeed(
      Database db,
      DecisionPoint decisions,
      Clock clock,
      Map<String, long[]> heads,
      org.datapact.server.oauth.AccessTokens tokens,
      org.datapact.server.ledger.AuditTrail audit) {
    this.db = db;
    this.audit = audit;
    this.decisions = decisions;
    this.clock = clock;
    this.tokens = tokens;
    heads.forEach((node, at) -> cursors.put(node, at.clone()));
  }

  /**
   * @return this node's id
   */
  public String nodeId() {
    return nodeId;
  }

  /** Registers this node and starts polling. */
  public synchronized void start() {
    new ClusterStore(db).register(nodeId, clock.instant());
    freshAt = System.nanoTime();
    started = true;
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "change-feed");
              t.setDaemon(true);
              return t;
            });
    var unused =
        poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * @return the next number of a change this node makes (call under the decision point's lock, in
   *     the order the changes are applied)
   */
  public synchronized long next() {
    return ++seq;
  }

  /** Says that this node's change numbered {@code n} (a consent) is committed. */
  public void committed(long n) {
    new ClusterStore(db).committedThrough(nodeId, n);
  }

  /**
   * Polls between two reads of every node's changes whatever the heads say: a node that died
   * between committing a change and recording its head is still read within 5 s.
   */
  private static final int FULL_EVERY = 50;

  /** Per node: the head up to which its changes were read. */
  private final Map<String, Long> read = new HashMap<>();

  /** Publishes a change other than a consent, made under the decision point's lock. */
  public void publish(String kind, String detail) {
    long n;
    synchronized (this) {
      n = ++seq;
    }
    var store = new ClusterStore(db);
    store.publish(nodeId, n, kind, detail, clock.instant());
    store.committedThrough(nodeId, n);
    if (ERASURE.equals(kind)) {
      store.erasureApplied(shard(), nodeId, n); // made here: this shard holds no key for the user
    }
  }

  private static final String ERASURE = "erasure";

  /** A regulator's view asks every node to write its shard's counts. */
  public static final String ACTIVITY = "activity";

  /** A transparency release asks every node to count its shard's releases of a period. */
  public static final String COUNT = "count";

  /** A regulator's read of another node's shard (an entry, its replay, a page of entries). */
  public static final String READ = "read";

  /** A regulator's auditor bundle of another node's shard. */
  public static final String BUNDLE = "bundle";

  /** What this node answers when another asks every node (by kind). */
  private final Map<String, java.util.function.Consumer<String>> answers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Answers requests off the poller's thread: a slow count must not make this node stale. */
  private final java.util.concurrent.ExecutorService answering =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "change-feed-answers");
            t.setDaemon(true);
            return t;
          });

  /**
   * Runs {@code answer} with the request's detail, on a thread of its own, whenever another node
   * {@link #ask asks} every node {@code kind}; the answer goes to the store, where the asker reads
   * it.
   */
  public void onAsked(String kind, java.util.function.Consumer<String> answer) {
    answers.put(kind, answer);
  }

  /** Asks every other running node to answer {@code kind} (see {@link #onAsked}). */
  public void ask(String kind, String detail) {
    publish(kind, detail);
  }

  /**
   * Reads every 50 ms until {@code done} holds for what was read or {@code wait} has passed (an
   * asker waiting for the other nodes' answers in the store).
   *
   * @return the last read
   */
  public static <T> T await(
      Duration wait, java.util.function.Supplier<T> read, java.util.function.Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      T last = read.get();
      if (done.test(last) || System.nanoTime() > deadline) {
        return last;
      }
      Thread.sleep(50);
    }
  }

  private String shard() {
    return audit.ledger().origin();
  }

  /**
   * Applies every erasure this node's shard has not: those other nodes made while this one was not
   * running (or before its ledger existed). Called before the node serves; a failure stops the
   * start, as an unreachable store does.
   *
   * @return how many erasures were applied
   */
  public int catchUpErasures() throws DataPactException {
    var store = new ClusterStore(db);
    int n = 0;
    for (var e : store.erasuresNotAppliedBy(shard())) {
      erase(store, e.node(), e.seq(), e.detail());
      n++;
    }
    if (n > 0) {
      LOG.atInfo()
          .addKeyValue("erasures", n)
          .log("applied the erasures made while this node was down");
    }
    return n;
  }

  private void erase(ClusterStore store, String node, long seq, String detail)
      throws DataPactException {
    String[] d = detail.split("\\|", -1);
    // this node's ledger key for the user goes too: one erasure erases on every node
    var user = org.datapact.core.user.UserId.of(Long.parseLong(d[0]));
    synchronized (decisions) { // the consents carried over are read with no change interleaving
      audit.erase(
          decisions, user, "node:" + d[1], clock.instant(), new PolicyStore(db).current(user));
    }
    store.erasureApplied(shard(), node, seq);
  }

  /** Says where this node's ledger shard stands: its origin, key and newest checkpoint. */
  private void describeShard(ClusterStore store, java.time.Instant now) {
    var ledger = audit.ledger();
    String note = ledger.latestCheckpoint().orElse(null);
    long size = 0;
    if (note != null) {
      String[] lines = note.split("\n", 3);
      size = lines.length > 1 ? Long.parseLong(lines[1]) : 0;
    }
    store.shard(
        new ClusterStore.Shard(
            ledger.origin(), ledger.keys().verifierKey(), nodeId, size, note, now));
  }

  /**
   * @return why allows must be refused now, or empty while this node's view is current within
   *     {@link #MAX_STALENESS} (always empty before {@link #start}: no server, no releases)
   */
  public Optional<String> staleness() {
    if (!started) {
      return Optional.empty();
    }
    long age = System.nanoTime() - freshAt;
    if (age <= MAX_STALENESS.toNanos()) {
      return Optional.empty();
    }
    return Optional.of(
        "this node has not seen the other nodes' policy changes for "
            + TimeUnit.NANOSECONDS.toMillis(age)
            + " ms (the database does not answer): it refuses to release on a policy that may have"
            + " changed");
  }

  /** One poll: beat, then apply every other node's changes after the last applied. */
  void poll() {
    long began = System.nanoTime();
    try {
      var store = new ClusterStore(db);
      java.time.Instant now = clock.instant();
      store.register(nodeId, now);
      int live = 1;
      boolean full = polls % FULL_EVERY == 0;
      for (ClusterStore.Node n : store.nodes()) {
        if (!n.id().equals(nodeId)) {
          // INVARIANT: a node records its head only after the change is committed, so reading
          // after seeing head H finds every change up to H; a later one raises the head again
          if (full || n.head() > read.getOrDefault(n.id(), -1L)) {
            catchUp(store, n.id());
            read.put(n.id(), n.head());
          }
          if (isLive(n.seenAt(), now)) {
            live++;
          }
        }
      }
      liveNodes.accept(live);
      if (polls++ % USAGE_EVERY == 0) {
        new org.datapact.store.cluster.UsageStore(db).write(nodeId, usage.get());
        describeShard(store, now);
      }
      freshAt = began;
      if (failing) {
        failing = false;
        LOG.atInfo().log("the change feed reads the database again");
      }
    } catch (RuntimeException | DataPactException e) {
      if (!failing) {
        failing = true;
        LOG.atWarn()
            .addKeyValue("error", String.valueOf(e.getMessage()))
            .log("the change feed cannot read the database: allows are refused once it is stale");
      }
    }
  }

  private void catchUp(ClusterStore store, String node) throws DataPactException {
    long[] at = cursors.computeIfAbsent(node, k -> new long[2]);
    while (true) {
      var consents = store.consentsAfter(node, at[0], BATCH);
      if (!consents.isEmpty()) {
        synchronized (decisions) {
          // recorded in this node's shard before they are applied, and applied together under the
          // lock of every policy change: a decision made here on them follows them in its shard,
          // and one made before them names a position before them (DecisionPoint.positionedBy)
          audit.consentsMadeElsewhere(
              consents.stream().map(ClusterStore.NumberedConsent::stored).toList());
          decisions.applyAll(consents.stream().map(ClusterStore.NumberedConsent::change).toList());
        }
        at[0] = consents.get(consents.size() - 1).seq();
      }
      var changes = store.policyAfter(node, at[1], BATCH);
      for (var p : changes) {
        apply(store, node, p);
        at[1] = p.seq();
      }
      if (consents.size() < BATCH && changes.size() < BATCH) {
        return;
      }
    }
  }

  private void apply(ClusterStore store, String node, ClusterStore.PolicyChange p)
      throws DataPactException {
    String[] d = p.detail().split("\\|", -1);
    synchronized (decisions) {
      switch (p.kind()) {
        case "agreements" -> {
          var agreements = new PolicyStore(db).agreements();
          audit.commitPolicy(decisions.snapshot().partyKinds(), agreements); // this shard first
          decisions.applyAgreements(agreements);
          if (!d[0].isEmpty()) {
            tokens.revokeAll(PartyId.of(d[0]));
          }
        }
        case "filing" -> {
          // the report's entry in this shard first: a decision gated on it replays from here
          org.datapact.server.governance.GovernanceBackfill.commitReports(db, audit);
          decisions.applyFiling(new Filing(PartyId.of(d[0]), d[1], d[2]));
        }
        case "party" ->
            audit.registerParty(
                decisions,
                PartyId.of(d[0]),
                PartyKind.valueOf(d[1].toUpperCase(java.util.Locale.ROOT)));
        case "client" -> tokens.revokeClient(d[0]);
        case ERASURE -> erase(store, node, p.seq(), p.detail());
        case "keys" -> tokens.reload();
        default -> {
          var answer = answers.get(p.kind());
          if (answer != null) {
            answering.execute(() -> answer.accept(p.detail()));
          } else {
            LOG.atWarn().addKeyValue("kind", p.kind()).log("an unknown policy change");
          }
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    started = false;
    answering.shutdownNow();
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  /** Stops polling as a cut-off node would (tests of the fail-closed refusal). */
  public synchronized void cutOffForTest() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }
}
