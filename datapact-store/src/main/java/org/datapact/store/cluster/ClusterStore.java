package org.datapact.store.cluster;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /** A node and when it last polled. */
  public record Node(String id, Instant startedAt, Instant seenAt) {}

  /** A consent change another node made, with its number there. */
  public record NumberedConsent(long seq, ConsentChange change) {}

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
                      "SELECT node_id, started_at, seen_at FROM cluster_node ORDER BY node_id")
                  .map(
                      (rs, ctx) ->
                          new Node(
                              rs.getString(1),
                              SqlTime.required(rs.getObject(2)),
                              SqlTime.required(rs.getObject(3))))
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
                      "SELECT node_id, MAX(node_seq) FROM consent_event WHERE node_id IS NOT NULL"
                          + " GROUP BY node_id")
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
                          + " basis, source FROM consent_event WHERE node_id = ? AND node_seq > ?"
                          + " ORDER BY node_seq")
                  .bind(0, node)
                  .bind(1, seq)
                  .setMaxRows(limit)
                  .map((rs, ctx) -> new NumberedConsent(rs.getLong(1), PolicyStore.consent(rs)))
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
}
