package org.datapact.store.cluster;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datapact.core.consent.ConsentChange;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.datapact.store.policy.PolicyStore;

/**
 * The nodes sharing this database and the changes each made to the decision point's policy, read
 * per node in the node's own order ({@code node_seq}).
 */
public final class ClusterStore {
  private final Database db;

  /**
   * @param db the store
   */
  public ClusterStore(Database db) {
    this.db = db;
  }

  /**
   * A node, when it last polled, and the number of the last change it made and committed.
   *
   * @param head changes numbered up to it are committed (a hint: one numbered after it may be too)
   */
  public record Node(String id, Instant startedAt, Instant seenAt, long head) {}

  /** A consent change another node made, with its number there and its row id. */
  public record NumberedConsent(long seq, ConsentChange change, long id) {
    /**
     * @return the change as the ledger's records name it
     */
    public org.datapact.store.ledger.LedgerRecords.StoredConsent stored() {
      return new org.datapact.store.ledger.LedgerRecords.StoredConsent(id, change);
    }
  }

  /** A policy change other than a consent another node made. */
  public record PolicyChange(long seq, String kind, String detail, Instant at) {}

  /**
   * How long one of the feed's reads may wait on the network: a poll must fail, not hang, when the
   * database stops answering mid-query (a cut connection never answers), so that the node turns
   * stale and refuses, then recovers by itself. Hikari resets the timeout when the connection
   * returns to the pool.
   */
  static final int NETWORK_TIMEOUT_MS = 2_000;

  private static void bounded(org.jdbi.v3.core.Handle h) {
    try {
      h.getConnection().setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MS);
    } catch (java.sql.SQLException | UnsupportedOperationException e) {
      // an engine without network timeouts (H2 in memory has no network)
    }
  }

  /** Registers a node (or says it is back). */
  public void register(String node, Instant at) {
    db.jdbi()
        .useHandle(
            h -> {
              bounded(h);
              int updated =
                  h.createUpdate("UPDATE cluster_node SET seen_at = ? WHERE node_id = ?")
                      .bind(0, SqlTime.utc(at))
                      .bind(1, node)
                      .execute();
              if (updated == 0) {
                h.createUpdate(
                        "INSERT INTO cluster_node (node_id, started_at, seen_at) VALUES (?, ?, ?)")
                    .bind(0, node)
                    .bind(1, SqlTime.utc(at))
                    .bind(2, SqlTime.utc(at))
                    .execute();
              }
            });
  }

  /**
   * @return every node, by id
   */
  public List<Node> nodes() {
    return db.jdbi()
        .withHandle(
            h -> {
              bounded(h);
              return h.createQuery(
                      "SELECT node_id, started_at, seen_at, head FROM cluster_node ORDER BY node_id")
                  .map(
                      (rs, ctx) ->
                          new Node(
                              rs.getString(1),
                              SqlTime.required(rs.getObject(2)),
                              SqlTime.required(rs.getObject(3)),
                              rs.getLong(4)))
                  .list();
            });
  }

  /**
   * @return per node, the highest consent and policy-change numbers it has written: {@code
   *     [consent, policy]}
   */
  public Map<String, long[]> heads() {
    Map<String, long[]> out = new HashMap<>();
    db.jdbi()
        .useHandle(
            h -> {
              h.createQuery(
                      // node_id > '': through the consent_event_node index; node_seq set: not
                      // the changes from before the nodes (V26), which no node numbered
                      "SELECT node_id, MAX(node_seq) FROM consent_event WHERE node_id > ''"
                          + " AND node_seq IS NOT NULL GROUP BY node_id")
                  .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                  .forEach(
                      e -> out.computeIfAbsent(e.getKey(), k -> new long[2])[0] = e.getValue());
              h.createQuery("SELECT node_id, MAX(node_seq) FROM policy_change GROUP BY node_id")
                  .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                  .forEach(
                      e -> out.computeIfAbsent(e.getKey(), k -> new long[2])[1] = e.getValue());
            });
    return out;
  }

  /**
   * @return {@code node}'s consent changes numbered after {@code seq}, in its order
   */
  public List<NumberedConsent> consentsAfter(String node, long seq, int limit) {
    return db.jdbi()
        .withHandle(
            h -> {
              bounded(h);
              return h.createQuery(
                      "SELECT node_seq, user_id, party_id, topic, granted, changed_at, expires_at,"
                          + " basis, source, id FROM consent_event WHERE node_id = ? AND node_seq > ?"
                          + " ORDER BY node_seq")
                  .bind(0, node)
                  .bind(1, seq)
                  .setMaxRows(limit)
                  .map(
                      (rs, ctx) ->
                          new NumberedConsent(
                              rs.getLong(1), PolicyStore.consent(rs), rs.getLong("id")))
                  .list();
            });
  }

  /**
   * @return {@code node}'s other policy changes numbered after {@code seq}, in its order
   */
  public List<PolicyChange> policyAfter(String node, long seq, int limit) {
    return db.jdbi()
        .withHandle(
            h -> {
              bounded(h);
              return h.createQuery(
                      "SELECT node_seq, kind, detail, at FROM policy_change WHERE node_id = ?"
                          + " AND node_seq > ? ORDER BY node_seq")
                  .bind(0, node)
                  .bind(1, seq)
                  .setMaxRows(limit)
                  .map(
                      (rs, ctx) ->
                          new PolicyChange(
                              rs.getLong(1),
                              rs.getString(2),
                              rs.getString(3),
                              SqlTime.required(rs.getObject(4))))
                  .list();
            });
  }

  /**
   * Says that {@code node}'s changes up to {@code seq} are committed (call after the commit of the
   * change numbered {@code seq}); never lowers the head.
   */
  public void committedThrough(String node, long seq) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate("UPDATE cluster_node SET head = ? WHERE node_id = ? AND head < ?")
                    .bind(0, seq)
                    .bind(1, node)
                    .bind(2, seq)
                    .execute());
  }

  /** Records a policy change this node made. */
  public void publish(String node, long seq, String kind, String detail, Instant at) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO policy_change (node_id, node_seq, kind, detail, at)"
                            + " VALUES (?, ?, ?, ?, ?)")
                    .bind(0, node)
                    .bind(1, seq)
                    .bind(2, kind)
                    .bind(3, detail)
                    .bind(4, SqlTime.utc(at))
                    .execute());
  }

  /**
   * A node's ledger shard as it last said.
   *
   * @param origin the log's origin line (names the shard)
   * @param verifierKey its C2SP verifier key
   * @param nodeId the node that writes it (its current run)
   * @param treeSize the size of its newest checkpoint
   * @param checkpoint that signed checkpoint (a C2SP note), or null before the first
   * @param seenAt when the node last said so
   */
  public record Shard(
      String origin,
      String verifierKey,
      String nodeId,
      long treeSize,
      @org.jspecify.annotations.Nullable String checkpoint,
      Instant seenAt) {}

  /** Says where this node's shard stands (its newest checkpoint). */
  public void shard(Shard s) {
    db.jdbi()
        .useHandle(
            h -> {
              bounded(h);
              int updated =
                  h.createUpdate(
                          "UPDATE ledger_shard SET verifier_key = ?, node_id = ?, tree_size = ?,"
                              + " checkpoint = ?, seen_at = ? WHERE origin = ?")
                      .bind(0, s.verifierKey())
                      .bind(1, s.nodeId())
                      .bind(2, s.treeSize())
                      .bind(3, s.checkpoint())
                      .bind(4, SqlTime.utc(s.seenAt()))
                      .bind(5, s.origin())
                      .execute();
              if (updated == 0) {
                h.createUpdate(
                        "INSERT INTO ledger_shard (origin, verifier_key, node_id, tree_size,"
                            + " checkpoint, seen_at) VALUES (?, ?, ?, ?, ?, ?)")
                    .bind(0, s.origin())
                    .bind(1, s.verifierKey())
                    .bind(2, s.nodeId())
                    .bind(3, s.treeSize())
                    .bind(4, s.checkpoint())
                    .bind(5, SqlTime.utc(s.seenAt()))
                    .execute();
              }
            });
  }

  /**
   * @return every ledger shard there is, by origin
   */
  public List<Shard> shards() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT origin, verifier_key, node_id, tree_size, checkpoint, seen_at"
                            + " FROM ledger_shard ORDER BY origin")
                    .map(
                        (rs, ctx) ->
                            new Shard(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getLong(4),
                                rs.getString(5),
                                SqlTime.required(rs.getObject(6))))
                    .list());
  }

  /** An erasure a node made, numbered as its policy changes are. */
  public record NodeErasure(String node, long seq, String detail) {}

  /**
   * @return every erasure (of any node, running or not) that {@code shard} has not applied, oldest
   *     first
   */
  public List<NodeErasure> erasuresNotAppliedBy(String shard) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT p.node_id, p.node_seq, p.detail FROM policy_change p WHERE"
                            + " p.kind = 'erasure' AND NOT EXISTS (SELECT 1 FROM erasure_applied a"
                            + " WHERE a.shard = ? AND a.node_id = p.node_id AND a.node_seq ="
                            + " p.node_seq) ORDER BY p.at, p.node_id, p.node_seq")
                    .bind(0, shard)
                    .map(
                        (rs, ctx) ->
                            new NodeErasure(rs.getString(1), rs.getLong(2), rs.getString(3)))
                    .list());
  }

  /** Records that {@code shard} applied erasure {@code seq} of {@code node} (idempotent). */
  public void erasureApplied(String shard, String node, long seq) {
    db.jdbi()
        .useHandle(
            h -> {
              boolean known =
                  h.createQuery(
                              "SELECT COUNT(*) FROM erasure_applied WHERE shard = ? AND node_id = ?"
                                  + " AND node_seq = ?")
                          .bind(0, shard)
                          .bind(1, node)
                          .bind(2, seq)
                          .mapTo(Long.class)
                          .one()
                      > 0;
              if (!known) {
                h.createUpdate(
                        "INSERT INTO erasure_applied (shard, node_id, node_seq) VALUES (?, ?, ?)")
                    .bind(0, shard)
                    .bind(1, node)
                    .bind(2, seq)
                    .execute();
              }
            });
  }

  /**
   * One shard's counted activity as its node last wrote it.
   *
   * @param origin the shard
   * @param nodeId the node that counted it
   * @param entries how many of its entries the counts cover
   * @param activity the counts (JSON)
   * @param at when they were written
   */
  public record ShardActivity(
      String origin, String nodeId, long entries, String activity, Instant at) {}

  /** Writes this node's shard's counts. */
  public void writeActivity(ShardActivity a) {
    db.jdbi()
        .useHandle(
            h -> {
              int updated =
                  h.createUpdate(
                          "UPDATE shard_activity SET node_id = ?, entries = ?, activity = ?, at = ?"
                              + " WHERE origin = ?")
                      .bind(0, a.nodeId())
                      .bind(1, a.entries())
                      .bind(2, a.activity())
                      .bind(3, SqlTime.utc(a.at()))
                      .bind(4, a.origin())
                      .execute();
              if (updated == 0) {
                h.createUpdate(
                        "INSERT INTO shard_activity (origin, node_id, entries, activity, at)"
                            + " VALUES (?, ?, ?, ?, ?)")
                    .bind(0, a.origin())
                    .bind(1, a.nodeId())
                    .bind(2, a.entries())
                    .bind(3, a.activity())
                    .bind(4, SqlTime.utc(a.at()))
                    .execute();
              }
            });
  }

  /**
   * @return every shard's counts as last written, by origin
   */
  public List<ShardActivity> activities() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT origin, node_id, entries, activity, at FROM shard_activity"
                            + " ORDER BY origin")
                    .map(
                        (rs, ctx) ->
                            new ShardActivity(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getLong(3),
                                rs.getString(4),
                                SqlTime.required(rs.getObject(5))))
                    .list());
  }

  /**
   * One shard's exact release counts for a transparency request.
   *
   * @param origin the shard
   * @param nodeId the node that counted it
   * @param entries the entries it read
   * @param counts the counts (JSON)
   */
  public record ShardCount(String origin, String nodeId, long entries, String counts) {}

  /** Writes this node's shard's counts for {@code request}. */
  public void writeReleaseCount(String request, ShardCount c, Instant at) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO shard_release_count (request_id, origin, node_id, entries,"
                            + " counts, at) VALUES (?, ?, ?, ?, ?, ?)")
                    .bind(0, request)
                    .bind(1, c.origin())
                    .bind(2, c.nodeId())
                    .bind(3, c.entries())
                    .bind(4, c.counts())
                    .bind(5, SqlTime.utc(at))
                    .execute());
  }

  /**
   * @return the shards' counts written for {@code request}, by origin
   */
  public List<ShardCount> releaseCounts(String request) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT origin, node_id, entries, counts FROM shard_release_count"
                            + " WHERE request_id = ? ORDER BY origin")
                    .bind(0, request)
                    .map(
                        (rs, ctx) ->
                            new ShardCount(
                                rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                    .list());
  }

  /**
   * A shard's answer to another node's read of it: the HTTP status and the JSON body the node
   * writing the shard would have answered itself.
   */
  public record ShardRead(String origin, int status, String body) {}

  /** How long an answer nobody took is kept. */
  private static final java.time.Duration UNTAKEN = java.time.Duration.ofMinutes(5);

  /**
   * Writes this shard's answer to {@code request}, deleting answers nobody took within five
   * minutes.
   */
  public void answerRead(String request, ShardRead answer, Instant at) {
    db.jdbi()
        .useTransaction(
            h -> {
              h.createUpdate("DELETE FROM shard_read WHERE answered_at < ?")
                  .bind(0, SqlTime.utc(at.minus(UNTAKEN)))
                  .execute();
              h.createUpdate(
                      "INSERT INTO shard_read (request_id, origin, status, body, answered_at)"
                          + " VALUES (?, ?, ?, ?, ?)")
                  .bind(0, request)
                  .bind(1, answer.origin())
                  .bind(2, answer.status())
                  .bind(3, answer.body())
                  .bind(4, SqlTime.utc(at))
                  .execute();
            });
  }

  /**
   * @return the answer to {@code request}, deleted as it is read (an answer is taken once), or
   *     empty while there is none
   */
  public Optional<ShardRead> takeRead(String request) {
    return db.jdbi()
        .inTransaction(
            h -> {
              Optional<ShardRead> a =
                  h.createQuery("SELECT origin, status, body FROM shard_read WHERE request_id = ?")
                      .bind(0, request)
                      .map(
                          (rs, ctx) ->
                              new ShardRead(rs.getString(1), rs.getInt(2), rs.getString(3)))
                      .findOne();
              if (a.isPresent()) {
                h.createUpdate("DELETE FROM shard_read WHERE request_id = ?")
                    .bind(0, request)
                    .execute();
              }
              return a;
            });
  }
}
