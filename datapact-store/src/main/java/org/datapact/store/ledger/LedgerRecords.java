package org.datapact.store.ledger;

import java.util.Optional;
import java.util.function.Consumer;
import org.datapact.core.consent.ConsentChange;
import org.datapact.store.Database;
import org.datapact.store.policy.PolicyStore;

/**
 * The store's side of the ledger: which agreement versions, party lists and consent changes have
 * been committed as entries. (The index from a subject's pseudonym to their entries lives beside
 * the log: {@code org.datapact.ledger.subject.SubjectIndex}.) Thread-safe (each call uses its own
 * connection).
 */
public final class LedgerRecords {
  /** The {@code ledger_commit} item that holds the consent watermark. */
  private static final String CONSENT_WATERMARK = "consent-watermark";

  private final Database db;

  /**
   * @param db the open store
   */
  public LedgerRecords(Database db) {
    this.db = db;
  }

  /**
   * @return the digest of what was last committed for this item, if anything
   */
  public Optional<String> committedDigest(String kind, String item) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT digest FROM ledger_commit WHERE kind = ? AND item = ?")
                    .bind(0, kind)
                    .bind(1, item)
                    .mapTo(String.class)
                    .findOne());
  }

  /** Records that {@code item} was committed as entry {@code index} with this digest. */
  public void markCommitted(String kind, String item, String digest, long index) {
    db.jdbi()
        .useTransaction(
            h -> {
              int updated =
                  h.createUpdate(
                          "UPDATE ledger_commit SET digest = ?, entry_index = ? WHERE kind = ? AND item = ?")
                      .bind(0, digest)
                      .bind(1, index)
                      .bind(2, kind)
                      .bind(3, item)
                      .execute();
              if (updated == 0) {
                h.createUpdate(
                        "INSERT INTO ledger_commit (kind, item, digest, entry_index) VALUES (?, ?, ?, ?)")
                    .bind(0, kind)
                    .bind(1, item)
                    .bind(2, digest)
                    .bind(3, index)
                    .execute();
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
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT id, user_id, party_id, topic, granted, changed_at, expires_at, basis, source FROM consent_event"
                            + " WHERE id > ? AND ledger_index IS NULL ORDER BY id")
                    .bind(0, watermark)
                    .setFetchSize(10_000)
                    .map((rs, ctx) -> new StoredConsent(rs.getLong("id"), PolicyStore.consent(rs)))
                    .forEach(sink));
  }

  /**
   * Moves the consent watermark: every change up to row {@code id} is in the ledger (the last as
   * {@code index}).
   */
  public void consentsCommittedThrough(long id, long index) {
    markCommitted("consent", CONSENT_WATERMARK, Long.toString(id), index);
  }
}
