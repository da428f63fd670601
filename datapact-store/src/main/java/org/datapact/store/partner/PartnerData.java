package org.datapact.store.partner;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.UserId;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.jspecify.annotations.Nullable;

/**
 * What the partner API reads and writes beyond users and friends: candidate connections, inbox
 * threads and messages, sent recommendations with their click links, and partner signals.
 * Thread-safe.
 */
public final class PartnerData {
  /** Ids of threads and messages the partner API creates start here, above any generated id. */
  public static final long SENT_ID_BASE = 1_000_000_000_000L;

  private final Database db;

  /**
   * @param db the open store
   */
  public PartnerData(Database db) {
    this.db = db;
  }

  /**
   * @return users above {@code after} with any consent event for {@code party}, ascending, at most
   *     {@code limit}
   */
  public List<Long> consentingUsers(PartyId party, long after, int limit) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT DISTINCT user_id FROM consent_event WHERE party_id = ? AND user_id > ?"
                            + " ORDER BY user_id FETCH FIRST "
                            + limit
                            + " ROWS ONLY")
                    .bind(0, party.value())
                    .bind(1, after)
                    .mapTo(Long.class)
                    .list());
  }

  /** An inbox thread. */
  public record Thread(long id, String subject, String viaParty, Instant createdAt) {}

  /** A message. */
  public record Message(
      long id, long threadId, long senderId, Instant sentAt, String body, String viaParty) {}

  /**
   * @param viaParty only threads this party's app took part in, or null for all
   * @return threads {@code user} takes part in, ids above {@code after}, ascending
   */
  public List<Thread> threads(UserId user, @Nullable String viaParty, long after, int limit) {
    return db.jdbi()
        .withHandle(
            h -> {
              var q =
                  h.createQuery(
                          "SELECT t.id, t.subject, t.via_party, t.created_at FROM inbox_thread t"
                              + " JOIN thread_participant p ON p.thread_id = t.id WHERE p.user_id = ? AND t.id > ?"
                              + (viaParty == null ? "" : " AND t.via_party = ?")
                              + " ORDER BY t.id FETCH FIRST "
                              + limit
                              + " ROWS ONLY")
                      .bind(0, user.value())
                      .bind(1, after);
              if (viaParty != null) {
                q.bind(2, viaParty);
              }
              return q.map(
                      (rs, ctx) ->
                          new Thread(
                              rs.getLong(1),
                              rs.getString(2),
                              rs.getString(3),
                              SqlTime.required(rs.getObject(4))))
                  .list();
            });
  }

  /**
   * @return the thread, if {@code user} takes part in it
   */
  public Optional<Thread> threadOf(UserId user, long threadId) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT t.id, t.subject, t.via_party, t.created_at FROM inbox_thread t"
                            + " JOIN thread_participant p ON p.thread_id = t.id WHERE p.user_id = ? AND t.id = ?")
                    .bind(0, user.value())
                    .bind(1, threadId)
                    .map(
                        (rs, ctx) ->
                            new Thread(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                SqlTime.required(rs.getObject(4))))
                    .findOne());
  }

  /**
   * @return the thread's messages, oldest first, at most {@code limit}
   */
  public List<Message> messages(long threadId, int limit) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, thread_id, sender_id, sent_at, body, via_party FROM message"
                            + " WHERE thread_id = ? ORDER BY id FETCH FIRST "
                            + limit
                            + " ROWS ONLY")
                    .bind(0, threadId)
                    .map(
                        (rs, ctx) ->
                            new Message(
                                rs.getLong(1),
                                rs.getLong(2),
                                rs.getLong(3),
                                SqlTime.required(rs.getObject(4)),
                                rs.getString(5),
                                rs.getString(6)))
                    .list());
  }

  /** A link of a recommendation to one recipient: the shim token and the address it leads to. */
  public record Link(String token, String url) {}

  /**
   * A recommendation to one recipient: a thread between sender and recipient via the partner's app,
   * its message, and one row per link, stored under the ledger entry that released it.
   */
  public record Recommendation(
      PartyId partner,
      UserId sender,
      UserId recipient,
      String subject,
      String body,
      List<Link> links,
      Instant at,
      long ledgerIndex) {}

  /**
   * Stores many recommendations in one transaction, each table's rows as one JDBC batch: the send
   * writer groups the sends that arrive while it writes, so that a send costs its rows and not a
   * transaction and six statements of its own (docs/benchmarks.md).
   *
   * @return the thread id of each, in order
   */
  public List<Long> sendRecommendations(List<Recommendation> sends) {
    if (sends.isEmpty()) {
      return List.of();
    }
    try {
      return write(sends);
    } catch (java.sql.SQLException e) {
      // the cause is kept: an unreachable store is still recognised as one (503, never 500)
      throw new IllegalStateException(
          "cannot store " + sends.size() + " recommendations: " + Database.rootMessage(e), e);
    }
  }

  private List<Long> write(List<Recommendation> sends) throws java.sql.SQLException {
    return db.jdbi()
        .inTransaction(
            h -> {
              java.sql.Connection c = h.getConnection();
              List<Long> ids = new ArrayList<>(sends.size());
              try (java.sql.PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO sent_thread (sent_at) VALUES (?)", new String[] {"id"})) {
                for (Recommendation r : sends) {
                  s.setObject(1, SqlTime.utc(r.at()));
                  s.addBatch();
                }
                s.executeBatch();
                try (java.sql.ResultSet keys = s.getGeneratedKeys()) {
                  while (keys.next()) {
                    ids.add(SENT_ID_BASE + keys.getLong(1));
                  }
                }
              }
              if (ids.size() != sends.size()) {
                throw new IllegalStateException(
                    "the store returned "
                        + ids.size()
                        + " thread ids for "
                        + sends.size()
                        + " sends"); // INVARIANT: one generated key per batched row
              }
              try (java.sql.PreparedStatement thread =
                      c.prepareStatement(
                          "INSERT INTO inbox_thread (id, subject, via_party, created_at)"
                              + " VALUES (?, ?, ?, ?)");
                  java.sql.PreparedStatement who =
                      c.prepareStatement(
                          "INSERT INTO thread_participant (thread_id, user_id) VALUES (?, ?)");
                  java.sql.PreparedStatement message =
                      c.prepareStatement(
                          "INSERT INTO message (id, thread_id, sender_id, sent_at, body, via_party)"
                              + " VALUES (?, ?, ?, ?, ?, ?)");
                  java.sql.PreparedStatement link =
                      c.prepareStatement(
                          "INSERT INTO recommendation_link (token, partner_id, sender_id,"
                              + " recipient_id, thread_id, url, sent_at, ledger_index)"
                              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                boolean links = false;
                for (int i = 0; i < sends.size(); i++) {
                  Recommendation r = sends.get(i);
                  long id = ids.get(i);
                  var at = SqlTime.utc(r.at());
                  thread.setLong(1, id);
                  thread.setString(2, r.subject());
                  thread.setString(3, r.partner().value());
                  thread.setObject(4, at);
                  thread.addBatch();
                  who.setLong(1, id);
                  who.setLong(2, r.sender().value());
                  who.addBatch();
                  who.setLong(1, id);
                  who.setLong(2, r.recipient().value());
                  who.addBatch();
                  message.setLong(1, id);
                  message.setLong(2, id);
                  message.setLong(3, r.sender().value());
                  message.setObject(4, at);
                  message.setString(5, r.body());
                  message.setString(6, r.partner().value());
                  message.addBatch();
                  for (Link l : r.links()) {
                    link.setString(1, l.token());
                    link.setString(2, r.partner().value());
                    link.setLong(3, r.sender().value());
                    link.setLong(4, r.recipient().value());
                    link.setLong(5, id);
                    link.setString(6, l.url());
                    link.setObject(7, at);
                    link.setLong(8, r.ledgerIndex());
                    link.addBatch();
                    links = true;
                  }
                }
                thread.executeBatch();
                who.executeBatch();
                message.executeBatch();
                if (links) {
                  link.executeBatch();
                }
              }
              return ids;
            });
  }

  /** A click recorded through the shim. */
  public record Click(PartyId partner, long recipientId, String url) {}

  /** Records a click on a link and returns where it leads, or empty for an unknown token. */
  public Optional<Click> click(String token, Instant at) {
    return db.jdbi()
        .inTransaction(
            h -> {
              Optional<Click> c =
                  h.createQuery(
                          "SELECT partner_id, recipient_id, url FROM recommendation_link WHERE token = ?")
                      .bind(0, token)
                      .map(
                          (rs, ctx) ->
                              new Click(
                                  PartyId.of(rs.getString(1)), rs.getLong(2), rs.getString(3)))
                      .findOne();
              if (c.isPresent()) {
                h.createUpdate(
                        "UPDATE recommendation_link SET clicks = clicks + 1,"
                            + " first_click_at = COALESCE(first_click_at, ?) WHERE token = ?")
                    .bind(0, SqlTime.utc(at))
                    .bind(1, token)
                    .execute();
              }
              return c;
            });
  }

  /** Sends and clicks of one partner on one day (UTC). */
  public record DailyCount(LocalDate day, long sends, long clickedRecipients, long clicks) {}

  /** An end no link is sent after (a timestamp both H2 and PostgreSQL hold). */
  private static final Instant NO_END = Instant.parse("9999-12-31T00:00:00Z");

  /**
   * @return the partner's sends and clicks per day since {@code from}, oldest first
   */
  public List<DailyCount> counts(PartyId partner, Instant from) {
    return counts(partner, from, NO_END);
  }

  /**
   * @return the partner's sends and clicks per day of the links sent from {@code from} until {@code
   *     to} (exclusive), oldest first
   */
  public List<DailyCount> counts(PartyId partner, Instant from, Instant to) {
    List<DailyCount> out = new ArrayList<>();
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT sent_at, first_click_at, clicks FROM recommendation_link"
                            + " WHERE partner_id = ? AND sent_at >= ? AND sent_at < ?"
                            + " ORDER BY sent_at")
                    .bind(0, partner.value())
                    .bind(1, SqlTime.utc(from))
                    .bind(2, SqlTime.utc(to))
                    .map(
                        (rs, ctx) ->
                            new Object[] {
                              SqlTime.instant(rs.getObject(1)),
                              SqlTime.instant(rs.getObject(2)),
                              rs.getInt(3)
                            })
                    .forEach(
                        row -> {
                          LocalDate day = ((Instant) row[0]).atZone(ZoneOffset.UTC).toLocalDate();
                          DailyCount last = out.isEmpty() ? null : out.get(out.size() - 1);
                          int clicks = (Integer) row[2];
                          long clicked = row[1] == null ? 0 : 1;
                          if (last != null && last.day().equals(day)) {
                            out.set(
                                out.size() - 1,
                                new DailyCount(
                                    day,
                                    last.sends() + 1,
                                    last.clickedRecipients() + clicked,
                                    last.clicks() + clicks));
                          } else {
                            out.add(new DailyCount(day, 1, clicked, clicks));
                          }
                        }));
    return out;
  }

  /**
   * Stores a signal a partner pushed about a user, with its label's rule set (the column {@code
   * jurisdiction} holds a rule-set id, e.g. {@code EU}, never a country).
   */
  public long storeSignal(
      PartyId partner,
      UserId user,
      String category,
      org.datapact.core.jurisdiction.RuleSetId jurisdiction,
      String payload,
      Instant at,
      long ledgerIndex) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO partner_signal (partner_id, user_id, category, jurisdiction,"
                            + " payload, observed_at, ledger_index) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, partner.value())
                    .bind(1, user.value())
                    .bind(2, category)
                    .bind(3, jurisdiction.value())
                    .bind(4, payload)
                    .bind(5, SqlTime.utc(at))
                    .bind(6, ledgerIndex)
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one());
  }

  /**
   * @return how many signals the store holds about a user
   */
  public long signalCount(UserId user) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM partner_signal WHERE user_id = ?")
                    .bind(0, user.value())
                    .mapTo(Long.class)
                    .one());
  }

  /**
   * A signal as DataPact holds it: with its label (where it came from, what it is, the rule set of
   * its subject's country) and the ledger entry of the decision that let it in.
   *
   * @param restsOn the ledger index of the partner's allowed {@code activity.write} decision, or
   *     null for a signal generated with the demo world's history (before the ledger)
   */
  public record HeldSignal(
      long id,
      PartyId source,
      org.datapact.core.policy.DataCategory category,
      org.datapact.core.jurisdiction.RuleSetId jurisdiction,
      String payload,
      Instant observedAt,
      @org.jspecify.annotations.Nullable Long restsOn) {
    /**
     * @return the label DataPact attaches to it
     */
    public org.datapact.core.label.Label label() {
      return new org.datapact.core.label.Label(source, category, jurisdiction);
    }
  }

  /**
   * @return the newest signals held about {@code user}, at most {@code limit}, newest first
   */
  public List<HeldSignal> signalsOf(UserId user, int limit) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, partner_id, category, jurisdiction, payload, observed_at,"
                            + " ledger_index FROM partner_signal WHERE user_id = ? ORDER BY id DESC"
                            + " LIMIT ?")
                    .bind(0, user.value())
                    .bind(1, limit)
                    .map(
                        (rs, ctx) ->
                            new HeldSignal(
                                rs.getLong(1),
                                PartyId.of(rs.getString(2)),
                                org.datapact.core.policy.DataCategory.fromWire(rs.getString(3)),
                                org.datapact.core.jurisdiction.RuleSetId.of(rs.getString(4)),
                                rs.getString(5),
                                SqlTime.required(rs.getObject(6)),
                                (Long) rs.getObject(7, Long.class)))
                    .list());
  }
}
