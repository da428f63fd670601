package org.datapact.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.decision.DecisionPoint;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartnerIds;
import org.datapact.core.world.Cast;
import org.datapact.core.world.DemoWorldGenerator;
import org.datapact.core.world.GeneratedPolicy;
import org.datapact.server.http.Json;
import org.datapact.server.ledger.AuditTrail;
import org.datapact.server.ledger.LedgerService;
import org.datapact.server.oauth.AccessTokens;
import org.datapact.server.release.ReleasePipeline;
import org.datapact.server.session.SessionTokens;
import org.datapact.store.Database;
import org.datapact.store.policy.PolicyStore;
import org.datapact.store.world.WorldStore;
import org.jspecify.annotations.Nullable;

/**
 * Everything the HTTP features share: the store, the clock, metrics, session and access tokens, the
 * JSON mapper, the decision point, and — only when the server runs the demo — the demo cast.
 *
 * @param db the open store
 * @param clock the clock every time-dependent rule reads
 * @param metrics the Prometheus registry
 * @param sessions console session tokens
 * @param accessTokens OAuth2 access tokens for API clients
 * @param mapper the JSON mapper
 * @param policies agreements and consent history in the store
 * @param decisions the decision point, loaded from the store
 * @param audit what the server writes to the ledger and reads back (entries, subject index,
 *     erasure)
 * @param release the release pipeline, the one door for data: decide, limit, audit, answer
 * @param partnerIds the partner-scoped user ids partners see instead of user ids
 * @param demoCast the cast when running {@code datapact demo}; null for {@code serve}, which
 *     disables the demo login
 */
public record ServerContext(
    Database db,
    Clock clock,
    PrometheusMeterRegistry metrics,
    SessionTokens sessions,
    AccessTokens accessTokens,
    ObjectMapper mapper,
    PolicyStore policies,
    DecisionPoint decisions,
    AuditTrail audit,
    ReleasePipeline release,
    PartnerIds partnerIds,
    org.datapact.server.ads.AdsService ads,
    @Nullable Cast demoCast,
    org.datapact.server.cluster.ChangeFeed feed) {

  /** Validates the required parts. */
  public ServerContext {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(accessTokens, "accessTokens");
    Objects.requireNonNull(mapper, "mapper");
    Objects.requireNonNull(policies, "policies");
    Objects.requireNonNull(decisions, "decisions");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(partnerIds, "partnerIds");
    Objects.requireNonNull(ads, "ads");
    Objects.requireNonNull(feed, "feed");
  }

  /**
   * @return a context with random token keys, loading the decision point from the store
   */
  public static ServerContext create(
      Database db, Clock clock, LedgerService ledger, @Nullable Cast demoCast)
      throws DataPactException {
    return create(db, clock, SessionTokens.withRandomKey(clock), ledger, demoCast);
  }

  /**
   * @return a context signing sessions with {@code sessions}, a fresh registry, the standard mapper
   *     and the decision point loaded from the store, after committing to the ledger whatever the
   *     store holds that the ledger does not (agreements, parties, generated consent history)
   */
  public static ServerContext create(
      Database db,
      Clock clock,
      SessionTokens sessions,
      LedgerService ledger,
      @Nullable Cast demoCast)
      throws DataPactException {
    return create(
        db,
        clock,
        sessions,
        ledger,
        demoCast,
        demoCast != null ? DemoWorldGenerator.partnerIds(demoCast.seed()) : PartnerIds.random(),
        null);
  }

  /**
   * @return the policy a first start's generator feeds as it writes the world ({@link
   *     WorldStore#ensure}), for {@link #create(Database, Clock, SessionTokens, LedgerService,
   *     Cast, PartnerIds, GeneratedPolicy)}
   */
  public static GeneratedPolicy generatedPolicy() {
    return new GeneratedPolicy(Jurisdictions.standard());
  }

  /**
   * @param partnerIds the partner-scoped ids: the demo's are derived from its seed (so the cast
   *     file can list them); {@code serve} keeps a random key in its data directory
   * @param generated the policy of the world this process has just generated into the store ({@link
   *     #generatedPolicy}): the snapshot, the ads index and the ledger's consent entries are made
   *     from it instead of the rows just written, if the store holds exactly what was generated;
   *     null on any other start
   * @return a context as {@link #create(Database, Clock, SessionTokens, LedgerService, Cast)} with
   *     these ids
   */
  public static ServerContext create(
      Database db,
      Clock clock,
      SessionTokens sessions,
      LedgerService ledger,
      @Nullable Cast demoCast,
      PartnerIds partnerIds,
      @Nullable GeneratedPolicy generated)
      throws DataPactException {
    sessions.useRevocations(new org.datapact.store.session.SessionRevocations(db, clock.instant()));
    PolicyStore policies = new PolicyStore(db);
    // INVARIANT: the other nodes' heads are read before the snapshot, so no change between is lost
    var heads = new org.datapact.store.cluster.ClusterStore(db).heads();
    ObjectMapper mapper = Json.newMapper();
    AuditTrail audit = new AuditTrail(ledger, db, mapper);
    // The party list and agreements are read once, committed at once, and the consent history the
    // store holds and this shard does not (the generated world's at a first start: millions of
    // entries) is committed on its own thread while this one loads the snapshot and the ads index
    // (docs/benchmarks.md). Both are done before anything is decided.
    var kinds = policies.partyKinds();
    var agreements = policies.agreements();
    PolicySnapshot terms = // the party list and agreements as the snapshot holds them
        PolicySnapshot.builder(Jurisdictions.standard(), kinds).agreements(agreements).build();
    // at a first start the snapshot, the ads index and the ledger's consent entries are made from
    // the world as it was generated rather than from the rows just written
    PolicyStore.Generated fromGenerator =
        generated == null ? null : policies.generated(generated, kinds, agreements).orElse(null);
    var pending = audit.commitPendingBeside(terms.partyKinds(), terms.agreements(), fromGenerator);
    DecisionPoint pdp;
    org.datapact.server.ads.AdsService ads;
    try {
      // the ads index follows the same ad-targeting history as the snapshot, read once
      java.util.List<org.datapact.core.consent.ConsentChange> adConsents =
          new java.util.ArrayList<>();
      java.util.function.Consumer<org.datapact.core.consent.ConsentChange> keepAdTargeting =
          c -> {
            if (c.topic().equals(org.datapact.store.ads.AdsStore.AD_TARGETING)) {
              adConsents.add(c);
            }
          };
      if (fromGenerator != null) {
        pdp = new DecisionPoint(fromGenerator.snapshot());
        fromGenerator.history().forEach(keepAdTargeting);
      } else {
        pdp =
            new DecisionPoint(
                policies.loadSnapshot(
                    Jurisdictions.standard(), kinds, agreements, keepAdTargeting));
      }
      ads = org.datapact.server.ads.AdsService.load(db, pdp, clock.instant(), adConsents);
    } finally {
      pending.await(); // also when the load failed: nothing is left writing the ledger
    }
    org.datapact.server.governance.GovernanceBackfill.commitPending(db, audit);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AccessTokens tokens = AccessTokens.shared(db, clock);
    var feed = new org.datapact.server.cluster.ChangeFeed(db, pdp, clock, heads, tokens, audit);
    audit.stampConsentsWith(feed);
    feed.catchUpErasures(); // before serving: what was erased while this node was down is erased
    // every decision from now on names the last entry of this shard whose policy it decided on
    pdp.positionedBy(() -> ledger.log().size() - 1);
    ReleasePipeline release = new ReleasePipeline(pdp, audit, clock, metrics);
    release.refuseAllowsWhen(feed::staleness);
    feed.onLiveNodes(release::shareLimitsAmong); // N live nodes together grant one limit
    feed.persistUsage(release.usage()::counts);
    return new ServerContext(
        db,
        clock,
        metrics,
        sessions,
        tokens,
        mapper,
        policies,
        pdp,
        audit,
        release,
        partnerIds,
        ads,
        demoCast,
        feed);
  }

  /**
   * @return the audit log every decision is written to before anything is released
   */
  public LedgerService ledger() {
    return audit.ledger();
  }

  /**
   * @return the demo cast, present only in demo mode
   */
  public Optional<Cast> demo() {
    return Optional.ofNullable(demoCast);
  }
}
