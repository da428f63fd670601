package org.datapact.store.ledger;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.datapact.core.consent.ConsentChange;
import org.datapact.store.Database;
import org.datapact.store.policy.PolicyStore;

/**
 * The store's side of the ledger: which agreement versions, party lists and consent changes have
 * been committed as entries, per ledger shard (each node's shard holds them all, so that it
 * re-decides its own decisions from its log alone). (The index from a subject's pseudonym to their
 * entries lives beside the log: {@code org.datapact.ledger.subject.SubjectIndex}.) Thread-safe
 * (each call uses its own connection).
 */
public final class LedgerRecords {
  /** The {@code ledger_shard_commit} item that holds a shard's consent watermark. */
  private static final String CONSENT_WATERMARK = "consent-watermark";

  private final Database db;
  private final String shard;

  /**
   * @param db the open store
   * @param shard the origin of the ledger shard these records are of
   */
  public LedgerRecords(Database db, String shard) {
    if (shard.isEmpty()) {
      throw new IllegalArgumentException("a shard's origin is never empty");
    }
    this.db = db;
    this.shard = shard;
  }

  /**
   * Adopts the records from before they were kept per shard (marked {@code ''} by the migration):
   * the first shard to start after it is the one that wrote them. Does nothing once adopted.
   *
   * @return how many records this shard adopted
   */
  public int adoptUnsharded() {
    return db.jdbi()
        .inTransaction(
            h -> {
              long own =
                  h.createQuery("SELECT COUNT(*) FROM ledger_shard_commit WHERE shard = ?")
                      .bind(0, shard)
                      .mapTo(Long.class)
                      .one();
              if (own > 0) {
                return 0;
              }
              h.createUpdate("UPDATE shard_consent SET shard = ? WHERE shard = ''")
                  .bind(0, shard)
                  .execute();
              h.createUpdate("UPDATE shard_report SET shard = ? WHERE shard = ''")
                  .bind(0, shard)
                  .execute();
              return h.createUpdate("UPDATE ledger_shard_commit SET shard = ? WHERE shard = ''")
                  .bind(0, shard)
                  .execute();
            });
  }

  /**
   * @return the digest of what was last committed for this item, if anything
   */
  public Optional<String> committedDigest(String kind, String item) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT digest FROM ledger_shard_commit WHERE shard = ? AND kind = ? AND item = ?")
                    .bind(0, shard)
                    .bind(1, kind)
                    .bind(2, item)
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
                          "UPDATE ledger_shard_commit SET digest = ?, entry_index = ?"
                              + " WHERE shard = ? AND kind = ? AND item = ?")
                      .bind(0, digest)
                      .bind(1, index)
                      .bind(2, shard)
                      .bind(3, kind)
                      .bind(4, item)
                      .execute();
              if (updated == 0) {
                h.createUpdate(
                        "INSERT INTO ledger_shard_commit (shard, kind, item, digest, entry_index)"
                            + " VALUES (?, ?, ?, ?, ?)")
                    .bind(0, shard)
                    .bind(1, kind)
                    .bind(2, item)
                    .bind(3, digest)
                    .bind(4, index)
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
    long watermark = consentWatermark();
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
   * Streams what {@link #forEachUncommittedConsent(Consumer)} would read, for a world this process
   * has just generated into the store, from the generator's history in memory instead of the rows:
   * {@code history.get(i)} is row {@code firstId + i}, none of them ledgered yet ({@link
   * org.datapact.store.policy.PolicyStore#generated} checked that the store holds exactly them).
   */
  public void forEachUncommittedConsent(
      List<ConsentChange> history, long firstId, Consumer<StoredConsent> sink) {
    long watermark = consentWatermark();
    for (int i = 0; i < history.size(); i++) {
      if (firstId + i > watermark) {
        sink.accept(new StoredConsent(firstId + i, history.get(i)));
      }
    }
  }

  /** The row up to which every consent change is in the ledger; 0 for none. */
  private long consentWatermark() {
    return committedDigest("consent", CONSENT_WATERMARK).map(Long::parseLong).orElse(0L);
  }

  /**
   * Moves the consent watermark: every change up to row {@code id} is in the ledger (the last as
   * {@code index}).
   */
  public void consentsCommittedThrough(long id, long index) {
    markCommitted("consent", CONSENT_WATERMARK, Long.toString(id), index);
  }

  /** Records that this shard holds these consent changes (by row id). */
  public void consentsRecorded(java.util.Collection<Long> ids) {
    if (ids.isEmpty()) {
      return;
    }
    db.jdbi()
        .useTransaction(
            h -> {
              var batch =
                  h.prepareBatch("INSERT INTO shard_consent (shard, consent_id) VALUES (?, ?)");
              for (long id : ids) {
                batch.bind(0, shard).bind(1, id).add();
              }
              batch.execute();
            });
  }

  /**
   * @return those of {@code ids} (consent rows) this shard holds
   */
  public java.util.Set<Long> recordedAmong(java.util.Collection<Long> ids) {
    if (ids.isEmpty()) {
      return java.util.Set.of();
    }
    return db.jdbi()
        .withHandle(
            h ->
                new java.util.HashSet<>(
                    h.createQuery(
                            "SELECT consent_id FROM shard_consent WHERE shard = :shard"
                                + " AND consent_id IN (<ids>)")
                        .bind("shard", shard)
                        .bindList("ids", new java.util.ArrayList<>(ids))
                        .mapTo(Long.class)
                        .list()));
  }

  /**
   * Streams, in history order, the consent changes made through a node's ledger (this node's or
   * another's, or, marked {@code before-nodes}, one's before several nodes shared the store) that
   * this shard does not hold.
   */
  public void forEachConsentNotRecorded(Consumer<StoredConsent> sink) {
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT id, user_id, party_id, topic, granted, changed_at, expires_at, basis, source"
                            // node_id > '': every ledgered change has a node id (V26), read through
                            // the consent_event_node index, not a scan of the generated history
                            + " FROM consent_event c WHERE node_id > '' AND ledger_index IS NOT NULL"
                            + " AND NOT EXISTS"
                            + " (SELECT 1 FROM shard_consent s WHERE s.shard = ? AND s.consent_id = c.id)"
                            + " ORDER BY id")
                    .bind(0, shard)
                    .setFetchSize(10_000)
                    .map((rs, ctx) -> new StoredConsent(rs.getLong("id"), PolicyStore.consent(rs)))
                    .forEach(sink));
  }
}
