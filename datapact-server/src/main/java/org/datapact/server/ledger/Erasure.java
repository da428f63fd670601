package org.datapact.server.ledger;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.user.UserId;
import org.datapact.ledger.subject.SubjectIndex;

/**
 * Crypto-shredding: a user's ledger key and pseudonym destroyed, their subject-index records turned
 * to tombstones, an erasure entry naming nobody, and their current consents committed again under a
 * fresh identity. Entry bytes, and so every proof, are unchanged.
 */
final class Erasure {
  private final LedgerService ledger;
  private final LedgerEntries entries;
  private final SubjectIndex index;
  private final ConsentBackfill.Indexing indexing;
  private final Runnable indexNow;

  /**
   * @param indexNow waits until the subject index has everything recorded so far
   */
  Erasure(
      LedgerService ledger,
      LedgerEntries entries,
      SubjectIndex index,
      ConsentBackfill.Indexing indexing,
      Runnable indexNow) {
    this.ledger = ledger;
    this.entries = entries;
    this.index = index;
    this.indexing = indexing;
    this.indexNow = indexNow;
  }

  /**
   * Crypto-shreds a user's ledger identity: destroys their key and pseudonym, drops their rows from
   * the subject index and records the erasure (naming nobody). The user's current consents are
   * committed again under a fresh identity, so their later decisions still replay; nothing links
   * the two identities.
   *
   * @return the erased pseudonym, empty when the ledger held nothing about the user
   */
  Optional<String> erase(UserId user, String requestedBy, Instant at, List<ConsentChange> current)
      throws DataPactException {
    Optional<String> erased;
    try {
      erased = ledger.subjects().erase(user.value());
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot erase the ledger key: " + e.getMessage(), e);
    }
    if (erased.isPresent()) {
      indexNow.run(); // nothing of theirs still queued to land after the tombstones
      try {
        index.forget(SubjectIndex.key(erased.get()));
      } catch (IOException e) {
        throw new DataPactException(
            ErrorKind.UNAVAILABLE, "cannot erase the ledger's subject index: " + e.getMessage(), e);
      }
    }
    ledger.record(entries.erasure(at, requestedBy));
    for (ConsentChange c : current) {
      ledger.record(entries.consent(c), indexing.under(user));
    }
    indexNow
        .run(); // the user's view shows the re-committed consents as soon as the erasure answers
    return erased;
  }
}
