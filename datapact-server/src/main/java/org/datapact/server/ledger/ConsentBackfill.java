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
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.user.UserId;
import org.datapact.ledger.log.LedgerBusyException;
import org.datapact.store.ledger.LedgerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the ledger level with the store at start: the party list, every agreement version whose
 * terms or status history changed, and consent changes that reached the store without passing the
 * ledger (the demo generator's), each committed once (tracked in {@code ledger_commit}), so that
 * {@code ledger replay} can re-decide any decision from the log alone.
 *
 * <p>Not thread-safe: runs at start, before any request, and for an agreement's status change under
 * the decision point's lock.
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
   * Commits what the store holds and the ledger does not yet: the party list, every agreement
   * version whose terms or status history changed, and consent changes that reached the store
   * without passing the ledger (the demo generator's). Runs at start, before any request.
   *
   * @return how many entries were appended
   */
  long commitPending(PolicySnapshot snapshot, List<AgreementRecord> agreements)
      throws DataPactException {
    long appended = 0;
    if (commitIfChanged("parties", "all", entries.parties(snapshot.partyKinds()))) {
      appended++;
    }
    for (AgreementRecord r : agreements) {
      if (commitIfChanged(
          "agreement", r.terms().agreementId() + "/" + r.terms().version(), entries.agreement(r))) {
        appended++;
      }
    }
    return appended + commitPendingConsents();
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

  private long commitPendingConsents() throws DataPactException {
    ArrayDeque<InFlight> window = new ArrayDeque<>();
    long[] done = {0, -1, -1}; // count, last row id, last index
    List<DataPactException> failure = new ArrayList<>(1);
    records.forEachUncommittedConsent(
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
