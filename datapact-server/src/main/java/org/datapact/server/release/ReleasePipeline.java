package org.datapact.server.release;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionPoint;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.Effect;
import org.datapact.core.decision.Obligation;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.decision.Reason;
import org.datapact.core.decision.ReasonCode;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.datapact.server.http.Ids;
import org.datapact.server.ledger.AuditTrail;
import org.jspecify.annotations.Nullable;

/**
 * The one door for data. Every release — a partner's read, send, activity push or connections page,
 * a unit's decision, an operator's what-if — passes the same four steps:
 *
 * <ol>
 *   <li><b>decide</b>: the decision point answers the request at DataPact's clock;
 *   <li><b>limit</b>: an allow under a {@link Obligation.RateLimit} takes a token from the
 *       principal's bucket ({@link RateLimiter}, the only rate limiter); a dry bucket turns the
 *       answer into the decision point's own {@link ReasonCode#RATE_LIMITED} denial;
 *   <li><b>audit</b>: the decision's entry is durable in the ledger before anything is answered (a
 *       ledger that cannot take it: 503, nothing released);
 *   <li><b>answer or refuse</b>: an allow returns a {@link Receipt} and the caller releases; a
 *       denial throws a {@link Refusal} carrying the decision, which {@code ProblemMapper} alone
 *       writes as 403 or 429.
 * </ol>
 *
 * Every release is counted in {@link #usage()} by principal, endpoint and effect.
 *
 * <p>Thread-safe.
 */
public final class ReleasePipeline {
  private final DecisionPoint decisions;
  private final AuditTrail audit;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final RateLimiter limiter = new RateLimiter();
  private final ReleaseUsage usage = new ReleaseUsage();

  /** Per principal, the allow and deny counters: no key built per release on the hot path. */
  private final Map<PartyId, Counter[]> counters = new ConcurrentHashMap<>();

  /**
   * @param decisions the decision point
   * @param audit the ledger's writer
   * @param clock DataPact's clock, the only one a decision is made at
   * @param metrics where the decisions are counted
   */
  public ReleasePipeline(
      DecisionPoint decisions, AuditTrail audit, Clock clock, MeterRegistry metrics) {
    this.decisions = decisions;
    this.audit = audit;
    this.clock = clock;
    this.metrics = metrics;
    this.decideTimer =
        io.micrometer.core.instrument.Timer.builder("datapact.decision")
            .description("the decision point's answer to one request (step 1), without the ledger")
            .serviceLevelObjectives(DECISION_BUCKETS)
            .register(metrics);
  }

  /** Histogram buckets of a decision's latency: it takes well under a microsecond when warm. */
  private static final java.time.Duration[] DECISION_BUCKETS = {
    java.time.Duration.ofNanos(500),
    java.time.Duration.ofNanos(1_000),
    java.time.Duration.ofNanos(2_000),
    java.time.Duration.ofNanos(5_000),
    java.time.Duration.ofNanos(10_000),
    java.time.Duration.ofNanos(50_000),
    java.time.Duration.ofNanos(100_000),
    java.time.Duration.ofNanos(1_000_000),
    java.time.Duration.ofNanos(10_000_000)
  };

  private final io.micrometer.core.instrument.Timer decideTimer;

  /** Why allows must be refused now (a node whose view of the shared policy is stale). */
  private volatile java.util.function.Supplier<java.util.Optional<String>> refuseAllows =
      java.util.Optional::empty;

  /**
   * Refuses every allow (503 {@code node-stale}) while {@code why} says so: a node that cannot tell
   * whether another node revoked what it would release does not release it.
   */
  public void refuseAllowsWhen(java.util.function.Supplier<java.util.Optional<String>> why) {
    this.refuseAllows = why;
  }

  /** Shares every rate limit among {@code nodes} live nodes (the change feed counts them). */
  public void shareLimitsAmong(int nodes) {
    limiter.share(nodes);
  }

  /**
   * @return how many nodes each rate limit is shared among now
   */
  public int limitShare() {
    return limiter.share();
  }

  private void failClosed(Decision d) throws DataPactException {
    if (d.allowed()) {
      var why = refuseAllows.get();
      if (why.isPresent()) {
        throw new DataPactException(org.datapact.core.ErrorKind.UNAVAILABLE, why.get());
      }
    }
  }

  /**
   * Who asks, through which endpoint, with what token.
   *
   * @param endpoint the method and route template, e.g. {@code GET /api/v1/users/{userId}/friends}
   * @param tokenScopes for a partner app, the scopes its access token carries (an allow is released
   *     only on a token that carries its scope); null for a caller without token scopes
   */
  public record Asked(String endpoint, @Nullable Set<String> tokenScopes) {}

  /**
   * A decision with the request it answers, after the limit.
   *
   * @param retryAfterSeconds for a rate-limit denial, when the bucket has a token again; else 0
   */
  public record Decided(DecisionRequest request, Decision decision, long retryAfterSeconds) {
    /**
     * @return whether the decision allows
     */
    public boolean allowed() {
      return decision.allowed();
    }

    /**
     * @return this question with another decision (a recipient refused: the send becomes a denial)
     */
    public Decided with(Decision d) {
      return new Decided(request, d, 0);
    }
  }

  /**
   * The receipt of a durable entry: what a partner keeps.
   *
   * @param decisionId the entry's id
   * @param ledgerIndex its index in the ledger
   * @param shard the origin of the ledger (this node's shard) that holds it: with several nodes an
   *     index alone does not say which log to look in
   */
  public record Receipt(String decisionId, long ledgerIndex, String shard) {
    /**
     * @return the receipt's response headers
     */
    public Map<String, String> headers() {
      return Map.of(
          "X-DataPact-Decision-Id",
          decisionId,
          "X-DataPact-Ledger-Index",
          Long.toString(ledgerIndex),
          "X-DataPact-Ledger-Shard",
          shard);
    }
  }

  private String shard() {
    return audit.ledger().origin();
  }

  /**
   * @return DataPact's clock's now: the time every release is decided at
   */
  public Instant now() {
    return clock.instant();
  }

  /**
   * @return the decision point's current snapshot
   */
  public PolicySnapshot snapshot() {
    return decisions.snapshot();
  }

  /**
   * @return the usage counts of every principal
   */
  public ReleaseUsage usage() {
    return usage;
  }

  // ------------------------------------------------------------------ decide and limit

  /** Decides {@code r} and, for an allow under a rate limit, takes a token: steps 1 and 2. */
  public Decided decide(DecisionRequest r) throws DataPactException {
    long started = System.nanoTime();
    Decision d = decisions.decide(r);
    decideTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    failClosed(d);
    var limit = d.obligation(Obligation.RateLimit.class);
    if (d.allowed() && limit.isPresent()) {
      RateLimiter.Take take = limiter.take(r.principal(), limit.get(), System.nanoTime());
      if (!take.taken()) {
        return rateLimited(r, limit.get(), take.retryAfterSeconds());
      }
    }
    return new Decided(r, d, 0);
  }

  /**
   * Whether the decision point allows {@code r}, without counting it against a limit or recording
   * it: for filtering a page (each friend, each connection), whose entry lists whom it released.
   */
  public boolean allows(DecisionRequest r) {
    return decisions.allows(r);
  }

  /**
   * Takes a token for one more user of a page whose permission carries {@code limit}.
   *
   * @return 0 when taken; else the seconds until a token is free
   */
  public long take(PartyId principal, Obligation.RateLimit limit) {
    RateLimiter.Take take = limiter.take(principal, limit, System.nanoTime());
    return take.taken() ? 0 : take.retryAfterSeconds();
  }

  /**
   * @return the decision point's rate-limit denial of {@code r}: it sees the principal at its limit
   */
  public Decided rateLimited(
      DecisionRequest r, Obligation.RateLimit limit, long retryAfterSeconds) {
    DecisionRequest atLimit = r.withRecentUses(limit.limit().requests());
    return new Decided(atLimit, decisions.decide(atLimit), retryAfterSeconds);
  }

  /**
   * @return a denial of an allowed send naming the recipient who may not receive it (the decision
   *     point's policy hash kept)
   */
  public static Decision refusedRecipient(Decision allowed, String recipient) {
    return new Decision(
        Effect.DENY,
        List.of(
            new Reason(
                ReasonCode.RECIPIENT_REFUSED,
                "recipients",
                "recipient `"
                    + recipient
                    + "` cannot receive this partner's messages: recommendations go to friends of the sender who allow this partner"
                    + " for this purpose")),
        List.of(),
        allowed.policyHash(),
        allowed.agreementVersion(),
        allowed.policyPosition());
  }

  // ------------------------------------------------------------------ audit, then answer or refuse

  /**
   * Makes {@code x} durable, then answers: steps 3 and 4, holding the caller's thread.
   *
   * @param released the users the answer releases besides the subject (a page of friends)
   * @return the receipt of an allow, once durable
   * @throws Refusal for a denial, once durable
   * @throws DataPactException forbidden when the token lacks the scope (nothing recorded);
   *     unavailable when the ledger cannot make the entry durable (nothing released)
   */
  public Receipt release(Asked asked, Decided x, List<UserId> released) throws DataPactException {
    requireScope(asked, x);
    String id = Ids.uuid();
    // INVARIANT: audit before release — durable in the ledger before anything is answered
    long index =
        audit.decision(
            id,
            x.request(),
            x.decision(),
            countryOf(x.request()),
            releasedBy(x, released),
            asked.endpoint());
    return answer(asked, x, new Receipt(id, index, shard()));
  }

  /**
   * Like {@link #release} without holding the caller's thread: a blocked request thread cost two
   * context switches per partner read (docs/benchmarks.md).
   *
   * @return a future completing with the receipt of an allow once durable; exceptionally with the
   *     {@link Refusal} of a denial once durable, or with the ledger's failure
   * @throws DataPactException forbidden when the token lacks the scope (nothing recorded)
   */
  public CompletableFuture<Receipt> releaseAsync(Asked asked, Decided x, List<UserId> released)
      throws DataPactException {
    requireScope(asked, x);
    String id = Ids.uuid();
    // INVARIANT: audit before release — the receipt exists only once the entry is durable
    return audit
        .decisionAsync(
            id,
            x.request(),
            x.decision(),
            countryOf(x.request()),
            releasedBy(x, released),
            asked.endpoint())
        .thenApply(
            index -> {
              try {
                return answer(asked, x, new Receipt(id, index, shard()));
              } catch (Refusal r) {
                throw new CompletionException(r);
              }
            });
  }

  /**
   * Makes a unit's question durable and answers it whatever its effect: steps 3 and 4 for a
   * question. A unit asks before it uses data it holds, so the answer is the decision itself (a
   * denial is the answer, not a refusal of the request); it is counted like any release.
   *
   * @return the receipt of the durable entry
   * @throws DataPactException unavailable when the ledger cannot make the entry durable
   */
  public Receipt ask(Asked asked, Decided x) throws DataPactException {
    String id = Ids.uuid();
    // INVARIANT: audit before release — the answer is given only once its entry is durable
    long index =
        audit.decision(
            id, x.request(), x.decision(), countryOf(x.request()), List.of(), asked.endpoint());
    count(asked, x);
    return new Receipt(id, index, shard());
  }

  /**
   * Records a page of users each allowed by its own decision (connections), then answers.
   *
   * @param denied how many candidates the decision point refused
   */
  public Receipt listing(
      Asked asked,
      PartyId principal,
      Scope scope,
      Purpose purpose,
      Instant at,
      List<UserId> released,
      int denied)
      throws DataPactException {
    requireScope(asked, scope);
    if (!released.isEmpty()) {
      var why = refuseAllows.get();
      if (why.isPresent()) {
        throw new DataPactException(org.datapact.core.ErrorKind.UNAVAILABLE, why.get());
      }
    }
    String id = Ids.uuid();
    long index =
        audit.listing(id, principal, scope, purpose, at, asked.endpoint(), released, denied);
    usage.count(principal, asked.endpoint(), Effect.ALLOW.wire());
    return new Receipt(id, index, shard());
  }

  /**
   * Decides {@code r} at its own (past) time and records it as a what-if asked by {@code askedBy}:
   * it authorizes nothing, takes no token, and is answered whatever its effect.
   */
  public Receipt whatIf(Asked asked, DecisionRequest r, Decision d, String askedBy)
      throws DataPactException {
    String id = Ids.uuid();
    return new Receipt(
        id, audit.whatIf(id, r, d, countryOf(r), asked.endpoint(), askedBy), shard());
  }

  /**
   * @return the decision point's answer to a what-if question: no limit, no record yet
   */
  public Decision decideUnlimited(DecisionRequest r) {
    return decisions.decide(r);
  }

  private void count(Asked asked, Decided x) {
    PartyId principal = x.request().principal();
    String effect = x.decision().effect().wire();
    usage.count(principal, asked.endpoint(), effect);
    counters.computeIfAbsent(principal, this::countersOf)[x.allowed() ? 0 : 1].increment();
  }

  private Receipt answer(Asked asked, Decided x, Receipt receipt) throws Refusal {
    count(asked, x);
    PartyId principal = x.request().principal();
    if (x.allowed()) {
      return receipt;
    }
    DecisionRequest r = x.request();
    usage.deny(
        principal,
        new ReleaseUsage.Denial(
            r.at().toString(),
            asked.endpoint(),
            r.scope().wire(),
            r.purpose().wire(),
            x.decision().reasons().stream()
                .map(reason -> reason.code().wire() + ": " + reason.detail())
                .toList(),
            receipt.decisionId(),
            receipt.ledgerIndex()));
    throw new Refusal(x, receipt);
  }

  /**
   * Refuses a token that lacks {@code scope}, before anything is decided or recorded.
   *
   * @throws DataPactException forbidden
   */
  public static void requireScope(Asked asked, Scope scope) throws DataPactException {
    Set<String> scopes = asked.tokenScopes();
    if (scopes != null && !scopes.contains(scope.wire())) {
      throw lacksScope(scope);
    }
  }

  /** A stale token, one whose scopes no longer include what is released: nothing leaves on it. */
  private static void requireScope(Asked asked, Decided x) throws DataPactException {
    if (x.allowed()) { // a denial releases nothing, so it needs no scope
      requireScope(asked, x.request().scope());
    }
  }

  private Counter[] countersOf(PartyId principal) {
    Counter[] c = new Counter[2];
    for (Effect e : Effect.values()) {
      c[e == Effect.ALLOW ? 0 : 1] =
          Counter.builder("datapact.decisions")
              .tag("principal", principal.value())
              .tag("effect", e.wire())
              .register(metrics);
    }
    return c;
  }

  private static DataPactException lacksScope(Scope scope) {
    return new DataPactException(
        ErrorKind.FORBIDDEN,
        "your access token lacks the scope `"
            + scope.wire()
            + "`; request a new token at /oauth/token (its scopes follow your active agreements)");
  }

  private @Nullable CountryCode countryOf(DecisionRequest r) {
    UserId subject = r.subject();
    return subject == null ? null : decisions.snapshot().countryOf(subject).orElse(null);
  }

  private static List<UserId> releasedBy(Decided x, List<UserId> released) {
    return x.allowed() ? released : List.of();
  }
}
