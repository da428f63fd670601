package org.datapact.server.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.datapact.ledger.log.LedgerBusyException;
import org.datapact.ledger.subject.SubjectIndex;
import org.datapact.ledger.subject.SubjectKeys;
import org.datapact.store.Database;
import org.datapact.store.ledger.LedgerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server writes to the ledger and reads back from it: decisions, consent changes,
 * agreement versions, party lists and erasures; the subject index behind a user's own view; and
 * crypto-shredding. Every write returns only once the entry is durable.
 *
 * <p>Thread-safe.
 */
public final class AuditTrail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  /** Appends the commit of pending consent changes keeps in flight. */
  private static final int WINDOW = 16_384;

  private final LedgerService ledger;
  private final LedgerEntries entries;
  private final LedgerRecords records;
  private final org.datapact.store.policy.PolicyStore policies;
  private final SubjectIndex index;
  private final SubjectIndexer indexer;
  private final ObjectMapper mapper;

  /** Opens the trail over an open ledger and store; the subject index catches up in the background. */
  public AuditTrail(LedgerService ledger, Database db, ObjectMapper mapper) throws DataPactException {
    this.ledger = ledger;
    this.mapper = mapper;
    this.entries = new LedgerEntries(mapper, ledger);
    this.records = new LedgerRecords(db);
    this.policies = new org.datapact.store.policy.PolicyStore(db);
    try {
      this.index = SubjectIndex.open(LedgerService.subjectIndexFile(ledger.directory()));
    } catch (IOException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "cannot open the ledger's subject index: " + e.getMessage(), e);
    }
    this.indexer = new SubjectIndexer(index, ledger.log().directory(), ledger.log().size());
  }

  /**
   * @return the action that indexes an entry under the subject once it is durable; it runs on the
   *     log's sequencer, in the order of the log, which the subject index relies on
   */
  private java.util.function.LongConsumer indexUnder(SubjectKeys.Subject subject) {
    long key = SubjectIndex.key(subject.pseudonymBytes());
    return entry -> indexer.offer(key, entry);
  }

  /** @return why a user's own view misses entries now (the subject index stopped), or empty */
  public java.util.Optional<String> indexFailing() {
    return indexer.stopped() ? java.util.Optional.of("the subject index stopped after a failure (see the log); it catches up at the"
        + " next start") : java.util.Optional.empty();
  }

  /** @return the ledger */
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
  public long decision(String decisionId, DecisionRequest r, Decision d, CountryCode country) throws DataPactException {
    return decision(decisionId, r, d, country, List.of(), null);
  }

  /**
   * Records a decision with the other users whose data its answer releases, and waits until it is
   * durable; the entry is in the subject's own view.
   *
   * @return the entry's index
   */
  public long decision(String decisionId, DecisionRequest r, Decision d, CountryCode country, List<UserId> released,
      String endpoint) throws DataPactException {
    byte[] e = entries.decision(decisionId, r, d, country, released, endpoint);
    long index = ledger.record(e, r.subject() == null ? null : indexUnder(ledger.subject(r.subject())));
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
  public long whatIf(String decisionId, DecisionRequest r, Decision d, CountryCode country, String endpoint, String askedBy)
      throws DataPactException {
    byte[] e = entries.decision(decisionId, r, d, country, List.of(), endpoint, askedBy);
    return ledger.record(e, r.subject() == null ? null : indexUnder(ledger.subject(r.subject())));
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
  public CompletableFuture<Long> decisionAsync(String decisionId, DecisionRequest r, Decision d,
      CountryCode country, List<UserId> released, String endpoint) throws DataPactException {
    byte[] e = entries.decision(decisionId, r, d, country, released, endpoint);
    return ledger.recordAsync(e, r.subject() == null ? null : indexUnder(ledger.subject(r.subject())));
  }

  /**
   * Records a listing page (connections) and waits until it is durable; the entry is in each
   * released user's own view.
   *
   * @return the entry's index
   */
  public long listing(String listingId, org.datapact.core.party.PartyId principal, org.datapact.core.policy.Scope scope,
      org.datapact.core.policy.Purpose purpose, Instant at, String endpoint, List<UserId> released, int denied)
      throws DataPactException {
    long[] keys = new long[released.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = SubjectIndex.key(ledger.subject(released.get(i)).pseudonymBytes());
    }
    return ledger.record(entries.listing(listingId, principal, scope, purpose, at, endpoint, released, denied), entry -> {
      for (long k : keys) {
        indexer.offer(k, entry);
      }
    });
  }

  /**
   * Records a consent change in the ledger and then in the store's history; the caller applies it
   * to the decision point afterwards.
   *
   * @return the entry's index
   */
  public long consent(ConsentChange c) throws DataPactException {
    long index = ledger.record(entries.consent(c), indexUnder(ledger.subject(c.user())));
    policies.appendConsent(c, index);
    indexNow(); // a user sees their own consent change in their ledger view at once
    return index;
  }

  /**
   * Commits what the store holds and the ledger does not yet: the party list, every agreement
   * version whose terms or status history changed, and consent changes that reached the store
   * without passing the ledger (the demo generator's). Runs at start, before any request.
   *
   * @return how many entries were appended
   */
  public long commitPending(PolicySnapshot snapshot, List<AgreementRecord> agreements) throws DataPactException {
    long appended = 0;
    if (commitIfChanged("parties", "all", entries.parties(snapshot.partyKinds()))) {
      appended++;
    }
    for (AgreementRecord r : agreements) {
      if (commitIfChanged("agreement", r.terms().agreementId() + "/" + r.terms().version(), entries.agreement(r))) {
        appended++;
      }
    }
    return appended + commitPendingConsents();
  }

  /** Commits an agreement version whose status history changed; waits until it is durable. @return whether it was appended */
  public boolean agreement(AgreementRecord r) throws DataPactException {
    return commitIfChanged("agreement", r.terms().agreementId() + "/" + r.terms().version(), entries.agreement(r));
  }

  private boolean commitIfChanged(String kind, String item, byte[] entry) throws DataPactException {
    String digest = sha256(entry);
    if (records.committedDigest(kind, item).filter(digest::equals).isPresent()) {
      return false;
    }
    records.markCommitted(kind, item, digest, ledger.record(entry));
    return true;
  }

  private record InFlight(CompletableFuture<Long> index, long rowId) {}

  private long commitPendingConsents() throws DataPactException {
    ArrayDeque<InFlight> window = new ArrayDeque<>();
    long[] done = {0, -1, -1}; // count, last row id, last index
    List<DataPactException> failure = new ArrayList<>(1);
    records.forEachUncommittedConsent(sc -> {
      if (!failure.isEmpty()) {
        return;
      }
      try {
        byte[] e = entries.consent(sc.change());
        java.util.function.LongConsumer onDurable = indexUnder(ledger.subject(sc.change().user()));
        while (true) {
          try {
            window.add(new InFlight(ledger.log().append(e, onDurable), sc.id()));
            break;
          } catch (LedgerBusyException busy) {
            settle(window.poll(), done);
          }
        }
        if (window.size() >= WINDOW) {
          settle(window.poll(), done);
        }
      } catch (DataPactException ex) {
        failure.add(ex);
      }
    });
    while (!window.isEmpty() && failure.isEmpty()) {
      try {
        settle(window.poll(), done);
      } catch (DataPactException ex) {
        failure.add(ex);
      }
    }
    if (!failure.isEmpty()) {
      throw failure.get(0);
    }
    if (done[0] > 0) {
      records.consentsCommittedThrough(done[1], done[2]);
      LOG.atInfo().addKeyValue("entries", done[0]).log("consent history committed to the ledger");
    }
    return done[0];
  }

  private void settle(InFlight f, long[] done) throws DataPactException {
    try {
      long index = f.index().get();
      done[0]++;
      done[1] = f.rowId();
      done[2] = index;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataPactException(ErrorKind.UNAVAILABLE, "interrupted while committing consents to the ledger", e);
    } catch (ExecutionException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "the ledger failed while committing consents: " + e.getCause(), e);
    }
  }

  /**
   * Crypto-shreds a user's ledger identity: destroys their key and pseudonym, drops their rows
   * from the subject index and records the erasure (naming nobody). The user's current consents
   * are committed again under a fresh identity, so their later decisions still replay; nothing
   * links the two identities.
   *
   * @return the erased pseudonym, empty when the ledger held nothing about the user
   */
  public Optional<String> erase(UserId user, String requestedBy, Instant at, List<ConsentChange> current)
      throws DataPactException {
    Optional<String> erased;
    try {
      erased = ledger.subjects().erase(user.value());
    } catch (IOException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "cannot erase the ledger key: " + e.getMessage(), e);
    }
    if (erased.isPresent()) {
      indexNow(); // nothing of theirs still queued to land after the tombstones
      try {
        index.forget(SubjectIndex.key(erased.get()));
      } catch (IOException e) {
        throw new DataPactException(ErrorKind.UNAVAILABLE, "cannot erase the ledger's subject index: " + e.getMessage(), e);
      }
    }
    ledger.record(entries.erasure(at, requestedBy));
    for (ConsentChange c : current) {
      ledger.record(entries.consent(c), indexUnder(ledger.subject(user)));
    }
    indexNow(); // the user's view shows the re-committed consents as soon as the erasure answers
    return erased;
  }

  // ------------------------------------------------------------------ reading

  /** @return entry {@code index} as the regulator sees it, personal fields opened unless erased */
  public ObjectNode entry(long index) throws DataPactException {
    try {
      return LedgerEntries.view(mapper, ledger.subjects(), index, ledger.log().entry(index));
    } catch (IOException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "cannot read ledger entry " + index + ": " + e.getMessage(), e);
    }
  }

  /** @return the user's own entries, newest first, below {@code before}, at most {@code limit} */
  public List<ObjectNode> entriesOf(UserId user, long before, int limit) throws DataPactException {
    Optional<SubjectKeys.Subject> s;
    try {
      s = ledger.subjects().find(user.value());
    } catch (IOException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "cannot read the ledger's key store: " + e.getMessage(), e);
    }
    if (s.isEmpty()) {
      return List.of();
    }
    List<ObjectNode> out = new ArrayList<>();
    String pseudonym = s.get().pseudonym();
    List<Long> indexes;
    try {
      indexes = index.entries(SubjectIndex.key(pseudonym), before, limit);
    } catch (IOException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "cannot read the ledger's subject index: " + e.getMessage(), e);
    }
    for (long i : indexes) {
      ObjectNode e = entry(i);
      // the index keys on 64 bits of the pseudonym: keep only entries that name this subject in full
      boolean mine = pseudonym.equals(e.path("subject").asText(null));
      for (var r : e.path("released")) {
        mine |= pseudonym.equals(r.asText());
      }
      if (mine) {
        out.add(e);
      }
    }
    return out;
  }

  /** Waits for the subject index after a user's own action; the index being derived, a failure only logs. */
  private void indexNow() {
    try {
      indexer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      LOG.atWarn().setCause(e).log("the ledger subject index is behind");
    }
  }

  /** Waits until every entry recorded so far is in the subject index (tests and tools). */
  public void flushIndex() throws InterruptedException {
    indexer.flush();
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // INVARIANT: every JDK has SHA-256
    }
  }

  /** Stops the indexer and closes the subject index (the ledger is closed by its owner). */
  @Override
  public void close() {
    indexer.close();
    try {
      index.close();
    } catch (IOException e) {
      LOG.atWarn().setCause(e).log("the ledger subject index did not close cleanly; the next start rescans it");
    }
  }
}
