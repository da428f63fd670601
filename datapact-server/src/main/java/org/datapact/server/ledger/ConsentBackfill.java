package org.datapact.server.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.user.UserId;
import org.datapact.ledger.log.LedgerBusyException;
import org.datapact.store.ledger.LedgerRecords;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the ledger level with the store at start: the party list, every agreement version whose
 * terms or status history changed, and consent changes that reached the store without passing the
 * ledger (the demo generator's), each committed once to each node's shard (tracked per shard in
 * {@code ledger_shard_commit}), so that {@code ledger replay} re-decides any decision from the log
 * of the shard that holds it alone.
 *
 * <p>Runs at start, before any request; then for an agreement's status change or another node's
 * policy change under the decision point's lock, and for another node's consent changes on the
 * change feed's poller. Those calls share no state but the store and the ledger.
 */
final class ConsentBackfill {
  private static final Logger LOG = LoggerFactory.getLogger(ConsentBackfill.class);

  /** Appends the commit of pending consent changes keeps in flight. */
  private static final int WINDOW = 16_384;

  /** What indexes an entry under a user once it is durable. */
  @FunctionalInterface
  interface Indexing {
    LongConsumer under(UserId user) throws DataPactException;
  }

  private final LedgerService ledger;
  private final LedgerEntries entries;
  private final LedgerRecords records;
  private final Indexing indexing;

  ConsentBackfill(
      LedgerService ledger, LedgerEntries entries, LedgerRecords records, Indexing indexing) {
    this.ledger = ledger;
    this.entries = entries;
    this.records = records;
    this.indexing = indexing;
  }

  /**
   * Adopts the records from before shards, then commits the party list and every agreement version
   * whose terms or status history changed ({@link #commitPolicy}): the first part of what a start
   * commits, so that the log opens with them. Runs at start, before any request.
   *
   * @return how many entries were appended
   */
  long commitPolicyFirst(
      java.util.Map<org.datapact.core.party.PartyId, org.datapact.core.party.PartyKind> kinds,
      List<AgreementRecord> agreements)
      throws DataPactException {
    records.adoptUnsharded();
    return commitPolicy(kinds, agreements);
  }

  /**
   * The rest of what a start commits, after {@link #commitPolicyFirst}: the consent changes that
   * reached the store without passing the ledger (the demo generator's), then those other nodes
   * made that this shard does not hold. Runs at start, before any request, and may run beside the
   * snapshot's load: it only reads the store's history and writes the ledger.
   *
   * @param generated the world this process has just generated, held in memory: its history is
   *     committed from there rather than read back; null on any other start
   * @return how many entries were appended
   */
  long commitConsentHistory(org.datapact.store.policy.PolicyStore.@Nullable Generated generated)
      throws DataPactException {
    return commitPendingConsents(generated) + commitConsentsMadeElsewhere();
  }

  /**
   * Commits the party list and every agreement version whose terms or status history changed,
   * unless this shard holds them as they are (a change another node made, before this node applies
   * it).
   *
   * @return how many entries were appended
   */
  long commitPolicy(
      java.util.Map<org.datapact.core.party.PartyId, org.datapact.core.party.PartyKind> kinds,
      List<AgreementRecord> agreements)
      throws DataPactException {
    long appended = 0;
    if (commitIfChanged("parties", "all", entries.parties(kinds))) {
      appended++;
    }
    for (AgreementRecord r : agreements) {
      if (agreement(r)) {
        appended++;
      }
    }
    return appended;
  }

  /**
   * Commits an agreement version whose status history changed; waits until it is durable. @return
   * whether it was appended
   */
  boolean agreement(AgreementRecord r) throws DataPactException {
    return commitIfChanged(
        "agreement", r.terms().agreementId() + "/" + r.terms().version(), entries.agreement(r));
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

  private long commitPendingConsents(
      org.datapact.store.policy.PolicyStore.@Nullable Generated generated)
      throws DataPactException {
    long[] last = {-1, -1}; // row id, index
    long n =
        commitConsents(
            generated == null
                ? records::forEachUncommittedConsent
                : sink ->
                    records.forEachUncommittedConsent(
                        generated.history(), generated.firstConsentId(), sink),
            (rowId, index) -> {
              last[0] = rowId;
              last[1] = index;
            },
            () -> {
              if (last[0] >= 0) {
                records.consentsCommittedThrough(last[0], last[1]);
              }
            });
    if (n > 0) {
      LOG.atInfo().addKeyValue("entries", n).log("consent history committed to the ledger");
    }
    return n;
  }

  /**
   * Commits the consent changes other nodes made (each in its own shard) that this shard does not
   * hold: those made while this node was not running, or before this shard existed.
   */
  private long commitConsentsMadeElsewhere() throws DataPactException {
    long n = recordInShard(records::forEachConsentNotRecorded);
    if (n > 0) {
      LOG.atInfo()
          .addKeyValue("entries", n)
          .log("consent changes other nodes made committed to this node's shard");
    }
    return n;
  }

  /**
   * Records in this shard the consent changes another node made (and ledgered in its own) that this
   * shard does not hold yet, in their order; they are durable on return, so the caller applies them
   * afterwards and every decision this node makes on them follows them in its shard.
   */
  void consentsMadeElsewhere(List<LedgerRecords.StoredConsent> changes) throws DataPactException {
    var held =
        records.recordedAmong(changes.stream().map(LedgerRecords.StoredConsent::id).toList());
    recordInShard(sink -> changes.stream().filter(c -> !held.contains(c.id())).forEach(sink));
  }

  /**
   * Commits the consent changes {@code source} streams and records that this shard holds them.
   *
   * @return how many were committed
   */
  private long recordInShard(
      java.util.function.Consumer<java.util.function.Consumer<LedgerRecords.StoredConsent>> source)
      throws DataPactException {
    List<Long> ids = new ArrayList<>();
    return commitConsents(
        source, (rowId, index) -> ids.add(rowId), () -> records.consentsRecorded(ids));
  }

  /** What is told each consent change once durable: its row and entry index. */
  @FunctionalInterface
  private interface Settled {
    void accept(long rowId, long index);
  }

  /**
   * Appends the consent changes {@code source} streams, {@link #WINDOW} in flight, telling {@code
   * settled} each in order once durable, then runs {@code record}, which records what settled. When
   * it fails (the ledger refuses appends, a read of the store fails), {@code settled} is still told
   * those in flight that did become durable, in order, up to the first that did not, and {@code
   * record} still runs before the failure is thrown: the durable part is recorded as committed, so
   * the next start does not commit it a second time (a failure to record is added to it).
   *
   * @return how many were appended
   */
  private long commitConsents(
      java.util.function.Consumer<java.util.function.Consumer<LedgerRecords.StoredConsent>> source,
      Settled settled,
      Runnable record)
      throws DataPactException {
    ArrayDeque<InFlight> window = new ArrayDeque<>();
    long[] done = {0};
    List<DataPactException> failure = new ArrayList<>(1);
    RuntimeException unchecked = null;
    try {
      source.accept(
          sc -> {
            if (!failure.isEmpty()) {
              return;
            }
            try {
              byte[] e = entries.consent(sc.change());
              LongConsumer onDurable = indexing.under(sc.change().user());
              while (true) {
                try {
                  window.add(new InFlight(ledger.log().append(e, onDurable), sc.id()));
                  break;
                } catch (LedgerBusyException busy) {
                  settle(window.poll(), done, settled);
                }
              }
              if (window.size() >= WINDOW) {
                settle(window.poll(), done, settled);
              }
            } catch (DataPactException ex) {
              failure.add(ex);
            }
          });
      while (!window.isEmpty() && failure.isEmpty()) {
        try {
          settle(window.poll(), done, settled);
        } catch (DataPactException ex) {
          failure.add(ex);
        }
      }
    } catch (RuntimeException e) {
      unchecked = e;
    }
    if (unchecked == null && failure.isEmpty()) {
      record.run();
      return done[0];
    }
    settleWhatIsDurable(window, done, settled);
    Exception first = unchecked != null ? unchecked : failure.get(0);
    try {
      record.run();
    } catch (RuntimeException again) {
      first.addSuppressed(again);
    }
    if (unchecked != null) {
      throw unchecked;
    }
    throw failure.get(0);
  }

  /**
   * After a failure: settles the entries still in flight, in order, while they become durable; the
   * first that does not (and so none after it) ends it.
   */
  private void settleWhatIsDurable(ArrayDeque<InFlight> window, long[] done, Settled settled) {
    try {
      while (!window.isEmpty()) {
        settle(window.poll(), done, settled);
      }
    } catch (DataPactException | RuntimeException notDurable) {
      // expected: the failure being reported, or its consequence; the caller throws the first
    }
  }

  private void settle(@Nullable InFlight f, long[] done, Settled settled) throws DataPactException {
    if (f == null) {
      return;
    }
    try {
      long index = f.index().get();
      done[0]++;
      settled.accept(f.rowId(), index);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "interrupted while committing consents to the ledger", e);
    } catch (ExecutionException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "the ledger failed while committing consents: " + e.getCause(), e);
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // INVARIANT: every JDK has SHA-256
    }
  }
}
