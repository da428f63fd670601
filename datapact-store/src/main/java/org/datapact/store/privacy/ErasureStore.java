package org.datapact.store.privacy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.UserId;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.jspecify.annotations.Nullable;

/**
 * Erasure requests and their durable outbox: one notice per partner that received the user's data,
 * written with the request in one transaction, then delivered, retried and confirmed. A restart
 * loses nothing: the outbox is the table.
 */
public final class ErasureStore {
  private final Database db;

  /**
   * @param db the store
   */
  public ErasureStore(Database db) {
    this.db = db;
  }

  /** A partner's webhook for deletion requests. */
  public record Webhook(String url, String secret) {}

  /** A notice to deliver, or delivered. */
  public record Notice(
      long id,
      String requestId,
      PartyId partner,
      String subjectRef,
      int attempts,
      Instant nextAttemptAt,
      @Nullable Instant deliveredAt,
      @Nullable String confirmation,
      @Nullable String lastError,
      Instant requestedAt,
      Instant dueBy) {}

  /**
   * Records an erasure request and its notices in one transaction.
   *
   * @param notices partner → the user's id for that partner
   */
  public void request(
      String id,
      UserId user,
      Instant at,
      Instant dueBy,
      String by,
      java.util.Map<PartyId, String> notices) {
    db.jdbi()
        .useTransaction(
            h -> {
              h.createUpdate(
                      "INSERT INTO erasure_request (id, user_id, requested_at, due_by, requested_by)"
                          + " VALUES (?, ?, ?, ?, ?)")
                  .bind(0, id)
                  .bind(1, user.value())
                  .bind(2, SqlTime.utc(at))
                  .bind(3, SqlTime.utc(dueBy))
                  .bind(4, by)
                  .execute();
              for (var n : notices.entrySet()) {
                h.createUpdate(
                        "INSERT INTO erasure_notice (request_id, partner_id, subject_ref, attempts,"
                            + " next_attempt_at) VALUES (?, ?, ?, 0, ?)")
                    .bind(0, id)
                    .bind(1, n.getKey().value())
                    .bind(2, n.getValue())
                    .bind(3, SqlTime.utc(at))
                    .execute();
              }
            });
  }

  private static final String NOTICE =
      "SELECT n.id, n.request_id, n.partner_id, n.subject_ref, n.attempts, n.next_attempt_at,"
          + " n.delivered_at, n.confirmation, n.last_error, r.requested_at, r.due_by"
          + " FROM erasure_notice n JOIN erasure_request r ON r.id = n.request_id";

  private static Notice notice(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Notice(
        rs.getLong(1),
        rs.getString(2),
        PartyId.of(rs.getString(3)),
        rs.getString(4),
        rs.getInt(5),
        SqlTime.required(rs.getObject(6)),
        SqlTime.instant(rs.getObject(7)),
        rs.getString(8),
        rs.getString(9),
        SqlTime.required(rs.getObject(10)),
        SqlTime.required(rs.getObject(11)));
  }

  /**
   * @return undelivered notices due at {@code now}, oldest first, at most {@code limit}
   */
  public List<Notice> due(Instant now, int limit) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        NOTICE
                            + " WHERE n.delivered_at IS NULL AND n.next_attempt_at <= ?"
                            + " ORDER BY n.next_attempt_at, n.id")
                    .bind(0, SqlTime.utc(now))
                    .setMaxRows(limit)
                    .map((rs, ctx) -> notice(rs))
                    .list());
  }

  /**
   * @return the notices of the user's erasure requests, newest request first
   */
  public List<Notice> ofUser(UserId user) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        NOTICE + " WHERE r.user_id = ? ORDER BY r.requested_at DESC, n.partner_id")
                    .bind(0, user.value())
                    .map((rs, ctx) -> notice(rs))
                    .list());
  }

  /**
   * @return every notice, newest request first (operators)
   */
  public List<Notice> all() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(NOTICE + " ORDER BY r.requested_at DESC, n.partner_id")
                    .map((rs, ctx) -> notice(rs))
                    .list());
  }

  /** Marks a notice delivered with the partner's confirmation. */
  public void delivered(long id, Instant at, String confirmation) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE erasure_notice SET delivered_at = ?, confirmation = ?,"
                            + " attempts = attempts + 1, last_error = NULL WHERE id = ?")
                    .bind(0, SqlTime.utc(at))
                    .bind(1, confirmation)
                    .bind(2, id)
                    .execute());
  }

  /** Records a failed attempt and when to try again. */
  public void failed(long id, Instant next, String error) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE erasure_notice SET attempts = attempts + 1, next_attempt_at = ?,"
                            + " last_error = ? WHERE id = ?")
                    .bind(0, SqlTime.utc(next))
                    .bind(1, error.length() > 500 ? error.substring(0, 500) : error)
                    .bind(2, id)
                    .execute());
  }

  /**
   * @return the partner's webhook, if it registered one
   */
  public Optional<Webhook> webhook(PartyId partner) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT webhook_url, webhook_secret FROM party WHERE id = ?"
                            + " AND webhook_url IS NOT NULL AND webhook_secret IS NOT NULL")
                    .bind(0, partner.value())
                    .map((rs, ctx) -> new Webhook(rs.getString(1), rs.getString(2)))
                    .findOne());
  }

  /** Sets a partner's webhook and its signing secret. */
  public void setWebhook(PartyId partner, String url, String secret) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate("UPDATE party SET webhook_url = ?, webhook_secret = ? WHERE id = ?")
                    .bind(0, url)
                    .bind(1, secret)
                    .bind(2, partner.value())
                    .execute());
  }

  /**
   * Removes or anonymizes what the store holds about the user beyond what the law keeps: their name
   * and handle, and the partner signals held about them.
   */
  public void anonymize(UserId user) {
    db.jdbi()
        .useTransaction(
            h -> {
              h.createUpdate(
                      "UPDATE app_user SET display_name = 'Erased user', handle = ? WHERE id = ?")
                  .bind(0, "erased-" + user.value())
                  .bind(1, user.value())
                  .execute();
              h.createUpdate("DELETE FROM partner_signal WHERE user_id = ?")
                  .bind(0, user.value())
                  .execute();
            });
  }
}
