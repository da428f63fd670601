package org.datapact.server.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.datapact.ledger.subject.SubjectIndex;
import org.datapact.ledger.subject.SubjectKeys;
import org.datapact.store.Database;
import org.datapact.store.ledger.LedgerRecords;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server writes to the ledger: decisions, what-ifs, listings and consent changes, each
 * durable before the call returns, with the subject indexing that follows them; and the door to its
 * parts — the start-up backfill ({@link ConsentBackfill}), crypto-shredding ({@link Erasure}) and
 * reading back ({@link UserView}).
 *
 * <p>Thread-safe.
 */
public final class AuditTrail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  private final LedgerService ledger;
  private final LedgerEntries entries;
  private final org.datapact.store.policy.PolicyStore policies;
  private final SubjectIndex index;
  private final SubjectIndexer indexer;
  private final ConsentBackfill backfill;
  private final Erasure erasure;
  private final UserView view;

  /**
   * Opens the trail over an open ledger and store; the subject index catches up in the background.
   */
  public AuditTrail(LedgerService ledger, Database db, ObjectMapper mapper)
      throws DataPactException {
    this.ledger = ledger;
    this.entries = new LedgerEntries(mapper, ledger);
    this.policies = new org.datapact.store.policy.PolicyStore(db);
    try {
      this.index = SubjectIndex.open(LedgerService.subjectIndexFile(ledger.directory()));
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot open the ledger's subject index: " + e.getMessage(), e);
    }
    this.indexer = new SubjectIndexer(index, ledger.log().directory(), ledger.log()::size);
    ConsentBackfill.Indexing indexing = user -> indexUnder(ledger.subject(user));
    this.backfill =
        new ConsentBackfill(ledger, entries, new LedgerRecords(db, ledger.origin()), indexing);
    this.erasure = new Erasure(ledger, entries, index, indexing, this::indexNow);
    this.view = new UserView(ledger, index, mapper);
  }

  /**
   * @return the action that indexes an entry under the subject once it is durable; it runs on the
   *     log's sequencer, in the order of the log, which the subject index relies on
   */
  /**
   * @return what indexes a decision's entry under its subject once durable; null for a dataset
   *     request
   */
  private java.util.function.@Nullable LongConsumer indexerOf(DecisionRequest r)
      throws DataPactException {
    UserId subject = r.subject();
    return subject == null ? null : indexUnder(ledger.subject(subject));
  }

  private java.util.function.LongConsumer indexUnder(SubjectKeys.Subject subject) {
    long key = SubjectIndex.key(subject.pseudonymBytes());
    return entry -> indexer.offer(key, entry);
  }

  /**
   * @return why a user's own view misses entries now (the subject index stopped), or empty
   */
  public java.util.Optional<String> indexFailing() {
    return indexer.failing()
        ? Optional.of(
            "the subject index is failing ("
                + indexer.failures()
                + " failures since start, see the log) and retrying; a user's own view misses entries until it recovers")
        : Optional.empty();
  }

  /**
   * @return how many subject-index writes and retries failed since start (a metric)
   */
  public long indexFailures() {
    return indexer.failures();
  }

  /**
   * Commits what the store holds and the ledger does not yet ({@link ConsentBackfill}), as {@link
   * #commitPendingBeside} does, waiting for all of it. Runs at start, before any request.
   *
   * @return how many entries were appended
   */
  public long commitPending(PolicySnapshot snapshot, List<AgreementRecord> agreements)
      throws DataPactException {
    return commitPendingBeside(snapshot.partyKinds(), agreements, null).await();
  }

  /**
   * Commits what the store holds and the ledger does not yet ({@link ConsentBackfill}): the party
   * list and agreement versions at once (so that the log opens with them), then the consent history
   * on a thread of its own, beside the caller (at a demo's first start, millions of entries). Runs
   * at start, before any request.
   *
   * @param kinds every party's kind as the decision point's snapshot holds them
   * @param agreements the agreement records as the snapshot holds them
   * @param generated the world this process has just generated (a demo's first start), whose
   *     consent history is committed from memory rather than read back; null on any other start
   * @return what the caller awaits before anything is decided
   */
  public Beside commitPendingBeside(
      java.util.Map<org.datapact.core.party.PartyId, org.datapact.core.party.PartyKind> kinds,
      List<AgreementRecord> agreements,
      org.datapact.store.policy.PolicyStore.@Nullable Generated generated)
      throws DataPactException {
    long policy = backfill.commitPolicyFirst(kinds, agreements);
    java.util.concurrent.FutureTask<Long> history =
        new java.util.concurrent.FutureTask<>(() -> backfill.commitConsentHistory(generated));
    Thread t = new Thread(history, "ledger-consent-history");
    t.setDaemon(true);
    t.start();
    return new Beside(policy, history);
  }

  /** What a start commits beside the caller ({@link #commitPendingBeside}). */
  public static final class Beside {
    private final long policy;
    private final java.util.concurrent.Future<Long> history;

    private Beside(long policy, java.util.concurrent.Future<Long> history) {
      this.policy = policy;
      this.history = history;
    }

    /**
     * Waits until it is done.
     *
     * @return how many entries were appended
     * @throws DataPactException what stopped it (a ledger or store failure), as it was
     */
    public long await() throws DataPactException {
      try {
        return policy + history.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DataPactException(
            ErrorKind.UNAVAILABLE, "interrupted while committing the consent history", e);
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof DataPactException d) {
          throw d;
        }
        throw new DataPactException(
            ErrorKind.UNAVAILABLE,
            "cannot commit the consent history to the ledger: " + cause,
            cause);
      }
    }
  }

  /**
   * Commits to this node's shard the party list and agreement versions another node changed, before
   * this node applies them, so that the decisions this node makes under them replay from its shard.
   *
   * @return how many entries were appended
   */
  public long commitPolicy(
      java.util.Map<org.datapact.core.party.PartyId, org.datapact.core.party.PartyKind> kinds,
      List<AgreementRecord> agreements)
      throws DataPactException {
    return backfill.commitPolicy(kinds, agreements);
  }

  /**
   * Registers a party on the decision point, this shard's party list first: the list with {@code
   * party} added is committed, then applied, so that a decision the party takes part in replays
   * from this shard. The caller holds the decision point's lock (a party registered here, or on
   * another node).
   */
  public void registerParty(
      org.datapact.core.decision.DecisionPoint decisions,
      org.datapact.core.party.PartyId party,
      org.datapact.core.party.PartyKind kind)
      throws DataPactException {
    PolicySnapshot before = decisions.snapshot();
    var kinds = new java.util.HashMap<>(before.partyKinds());
    kinds.put(party, kind);
    commitPolicy(kinds, before.agreements());
    decisions.applyParty(party, kind);
  }

  /**
   * Records in this node's shard the consent changes another node made that it does not hold yet,
   * durable on return: the caller applies them afterwards ({@link ConsentBackfill}).
   */
  public void consentsMadeElsewhere(List<LedgerRecords.StoredConsent> changes)
      throws DataPactException {
    backfill.consentsMadeElsewhere(changes);
  }

  /**
   * Commits an agreement version whose status history changed; waits until it is durable. @return
   * whether it was appended
   */
  public boolean agreement(AgreementRecord r) throws DataPactException {
    return backfill.agreement(r);
  }

  /**
   * Crypto-shreds a user's ledger identity ({@link Erasure}) under the decision point's lock, and
   * publishes the policy at the log's new end: the consents carried over to the new identity are
   * the user's policy from there. The caller holds the lock while it reads {@code current} too.
   *
   * @return the erased pseudonym, empty when the ledger held nothing about the user
   */
  public Optional<String> erase(
      org.datapact.core.decision.DecisionPoint decisions,
      UserId user,
      String requestedBy,
      Instant at,
      List<ConsentChange> current)
      throws DataPactException {
    synchronized (decisions) { // no consent change interleaves with the carry-over
      Optional<String> erased = erasure.erase(user, requestedBy, at, current);
      decisions.advanced();
      return erased;
    }
  }

  /**
   * @return entry {@code index} as the regulator sees it, personal fields opened unless erased
   */
  public ObjectNode entry(long index) throws DataPactException {
    return view.entry(index);
  }

  /**
   * @return the user's own entries, newest first, below {@code before}, at most {@code limit}
   */
  public List<ObjectNode> entriesOf(UserId user, long before, int limit) throws DataPactException {
    return view.entriesOf(user, before, limit);
  }

  /**
   * @return entry {@code index}'s bytes when it names the user, empty otherwise
   */
  public java.util.Optional<byte[]> ownEntry(UserId user, long index) throws DataPactException {
    return view.ownEntry(user, index);
  }

  /**
   * @return the ledger
   */
  public LedgerService ledger() {
    return ledger;
  }

  // ------------------------------------------------------------------ writing

  /**
   * Records a decision and waits until it is durable.
   *
   * @param country the subject's country as the decision point saw it, or null
   * @return the entry's index
   */
  public long decision(
      String decisionId, DecisionRequest r, Decision d, @Nullable CountryCode country)
      throws DataPactException {
    return decision(decisionId, r, d, country, List.of(), null);
  }

  /**
   * Records a decision with the other users whose data its answer releases, and waits until it is
   * durable; the entry is in the subject's own view.
   *
   * @return the entry's index
   */
  public long decision(
      String decisionId,
      DecisionRequest r,
      Decision d,
      @Nullable CountryCode country,
      List<UserId> released,
      @Nullable String endpoint)
      throws DataPactException {
    byte[] e = entries.decision(decisionId, r, d, country, released, endpoint);
    long index = ledger.record(e, indexerOf(r));
    // The users a decision releases besides its subject (a page of friends) are named in the entry,
    // for the regulator, but not indexed for their own view: one index row per friend made the
    // index writer the largest consumer of CPU under load, with second-long stalls (benchmarks.md).
    return index;
  }

  /**
   * Records a what-if question (what would have been decided at a past time) and waits until it is
   * durable. The entry is a decision entry marked {@code whatIf} with who asked; it authorizes
   * nothing.
   *
   * @param endpoint the route that asked, e.g. {@code POST /api/v1/decisions/what-if}
   * @param askedBy the operator or regulator who asked, as {@code role:handle}
   * @return the entry's index
   */
  public long whatIf(
      String decisionId,
      DecisionRequest r,
      Decision d,
      @Nullable CountryCode country,
      String endpoint,
      String askedBy)
      throws DataPactException {
    byte[] e = entries.decision(decisionId, r, d, country, List.of(), endpoint, askedBy);
    return ledger.record(e, indexerOf(r));
  }

  /**
   * Records a decision like {@link #decision(String, DecisionRequest, Decision, CountryCode, List,
   * String)} without blocking the caller.
   *
   * @return a future completing with the entry's index once it is durable, on a thread that may
   *     write the response; exceptionally with a {@link DataPactException} when it cannot be made
   *     durable
   * @throws DataPactException when the entry cannot be built (the subject's key store fails)
   */
  public CompletableFuture<Long> decisionAsync(
      String decisionId,
      DecisionRequest r,
      Decision d,
      @Nullable CountryCode country,
      List<UserId> released,
      String endpoint)
      throws DataPactException {
    byte[] e = entries.decision(decisionId, r, d, country, released, endpoint);
    return ledger.recordAsync(e, indexerOf(r));
  }

  /**
   * Records a listing page (connections) and waits until it is durable; the entry is in each
   * released user's own view.
   *
   * @return the entry's index
   */
  public long listing(
      String listingId,
      org.datapact.core.party.PartyId principal,
      org.datapact.core.policy.Scope scope,
      org.datapact.core.policy.Purpose purpose,
      Instant at,
      String endpoint,
      List<UserId> released,
      int denied)
      throws DataPactException {
    long[] keys = new long[released.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = SubjectIndex.key(ledger.subject(released.get(i)).pseudonymBytes());
    }
    return ledger.record(
        entries.listing(listingId, principal, scope, purpose, at, endpoint, released, denied),
        entry -> {
          for (long k : keys) {
            indexer.offer(k, entry);
          }
        });
  }

  /**
   * Records a governance act (an interest declared, an approval, a recusal) and waits until it is
   * durable; the caller stores it afterwards with the index.
   *
   * @return the entry's index
   */
  public long governance(Instant at, String action, String by, java.util.Map<String, String> detail)
      throws DataPactException {
    return ledger.record(entries.governance(at, action, by, detail));
  }

  /**
   * Records a consent change in the ledger and then in the store's history; the caller applies it
   * to the decision point afterwards.
   *
   * @return the entry's index
   */
  public long consent(ConsentChange c) throws DataPactException {
    long index = ledger.record(entries.consent(c), indexUnder(ledger.subject(c.user())));
    var feed = this.feed;
    if (feed == null) {
      policies.appendConsent(c, index);
    } else {
      // numbered for the other nodes, in the order of this node's lock (callers hold it)
      long n = feed.next();
      policies.appendConsent(c, index, feed.nodeId(), n, ledger.origin());
      feed.committed(n); // committed: the other nodes' next poll reads it
    }
    indexNow(); // a user sees their own consent change in their ledger view at once
    return index;
  }

  /**
   * Waits for the subject index after a user's own action; the index being derived, a failure only
   * logs.
   */
  private void indexNow() {
    try {
      indexer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      LOG.atWarn().setCause(e).log("the ledger subject index is behind");
    }
  }

  private volatile org.datapact.server.cluster.@Nullable ChangeFeed feed;

  /** Numbers every consent change from now on for the other nodes that share the store. */
  public void stampConsentsWith(org.datapact.server.cluster.ChangeFeed feed) {
    this.feed = feed;
  }

  /** Waits until every entry recorded so far is in the subject index (tests and tools). */
  public void flushIndex() throws InterruptedException {
    indexer.flush();
  }

  /** Stops the indexer and closes the subject index (the ledger is closed by its owner). */
  @Override
  public void close() {
    indexer.close();
    try {
      index.close();
    } catch (IOException e) {
      LOG.atWarn()
          .setCause(e)
          .log("the ledger subject index did not close cleanly; the next start rescans it");
    }
  }
}
