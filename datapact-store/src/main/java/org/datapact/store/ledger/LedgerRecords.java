package org.datapact.store.ledger;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.datapact.core.consent.ConsentChange;
import org.datapact.store.Database;
import org.datapact.store.policy.PolicyStore;

/**
 * The store's side of the ledger: which agreement versions, party lists and consent changes have
 * been committed as entries, and the derived index from a subject's pseudonym to their entries.
 * Thread-safe (each call uses its own connection).
 */
public final class LedgerRecords {
  /** The {@code ledger_commit} item that holds the consent watermark. */
  private static final String CONSENT_WATERMARK = "consent-watermark";

  private final Database db;

  /** @param db the open store */
  public LedgerRecords(Database db) {
    this.db = db;
  }

  /** @return the digest of what was last committed for this item, if anything */
  public Optional<String> committedDigest(String kind, String item) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT digest FROM ledger_commit WHERE kind = ? AND item = ?")
        .bind(0, kind).bind(1, item).mapTo(String.class).findOne());
  }

  /** Records that {@code item} was committed as entry {@code index} with this digest. */
  public void markCommitted(String kind, String item, String digest, long index) {
    db.jdbi().useTransaction(h -> {
      int updated = h.createUpdate("UPDATE ledger_commit SET digest = ?, entry_index = ? WHERE kind = ? AND item = ?")
          .bind(0, digest).bind(1, index).bind(2, kind).bind(3, item).execute();
      if (updated == 0) {
        h.createUpdate("INSERT INTO ledger_commit (kind, item, digest, entry_index) VALUES (?, ?, ?, ?)")
            .bind(0, kind).bind(1, item).bind(2, digest).bind(3, index).execute();
      }
    });
  }

  /** A stored consent change and its row id. */
  public record StoredConsent(long id, ConsentChange change) {}

  /**
   * Streams, in history order, the consent changes after the watermark that are not yet in the
   * ledger.
   */
  public void forEachUncommittedConsent(Consumer<StoredConsent> sink) {
    long watermark = committedDigest("consent", CONSENT_WATERMARK).map(Long::parseLong).orElse(0L);
    db.jdbi().useHandle(h -> h.createQuery(
            "SELECT id, user_id, party_id, topic, granted, changed_at, expires_at, basis, source FROM consent_event"
                + " WHERE id > ? AND ledger_index IS NULL ORDER BY id")
        .bind(0, watermark).setFetchSize(10_000)
        .map((rs, ctx) -> new StoredConsent(rs.getLong("id"), PolicyStore.consent(rs)))
        .forEach(sink));
  }

  /** Moves the consent watermark: every change up to row {@code id} is in the ledger (the last as {@code index}). */
  public void consentsCommittedThrough(long id, long index) {
    markCommitted("consent", CONSENT_WATERMARK, Long.toString(id), index);
  }

  /** A subject's entry. */
  public record SubjectEntry(String subject, long index) {}

  /** @return the index key of a pseudonym (32 hex digits): its first 64 bits */
  static long key(String pseudonym) {
    return Long.parseUnsignedLong(pseudonym.substring(0, 16), 16);
  }

  /**
   * Adds rows to the subject index in one transaction.
   *
   * @param mayExist whether some rows may be present already (a catch-up after a crash); they are
   *     skipped then
   */
  public void index(List<SubjectEntry> rows, boolean mayExist) {
    if (rows.isEmpty()) {
      return;
    }
    long from = rows.stream().mapToLong(SubjectEntry::index).min().orElseThrow();
    long to = rows.stream().mapToLong(SubjectEntry::index).max().orElseThrow();
    db.jdbi().useTransaction(h -> {
      var have = new java.util.HashSet<String>();
      if (mayExist) {
        h.createQuery("SELECT subject, entry_index FROM ledger_subject_entry WHERE entry_index BETWEEN ? AND ?")
            .bind(0, from).bind(1, to).map((rs, ctx) -> rs.getLong(1) + ":" + rs.getLong(2)).forEach(have::add);
      }
      var batch = h.prepareBatch("INSERT INTO ledger_subject_entry (subject, entry_index) VALUES (?, ?)");
      boolean any = false;
      for (SubjectEntry r : rows) {
        if (have.add(key(r.subject()) + ":" + r.index())) {
          batch.bind(0, key(r.subject())).bind(1, r.index()).add();
          any = true;
        }
      }
      if (any) {
        batch.execute();
      }
    });
  }

  /** @return the highest entry index in the subject index, or -1 */
  public long lastIndexed() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(entry_index), -1) FROM ledger_subject_entry")
        .mapTo(Long.class).one());
  }

  /**
   * @return the indexes of entries that may be about the subject, newest first, at most
   *     {@code limit}, below {@code before}; the caller checks each entry's pseudonym (the index
   *     keys on its first 64 bits)
   */
  public List<Long> entriesOf(String subject, long before, int limit) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "SELECT entry_index FROM ledger_subject_entry WHERE subject = ? AND entry_index < ? ORDER BY entry_index DESC"
                + " FETCH FIRST " + limit + " ROWS ONLY")
        .bind(0, key(subject)).bind(1, before).mapTo(Long.class).list());
  }

  /** Deletes an erased subject's rows from the index. */
  public int forget(String subject) {
    return db.jdbi().withHandle(h -> h.createUpdate("DELETE FROM ledger_subject_entry WHERE subject = ?")
        .bind(0, key(subject)).execute());
  }
}
