package org.datapact.store.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datapact.store.Database;

/** Every node's release counts, per principal, endpoint and effect. */
public final class UsageStore {
  private final Database db;

  /**
   * @param db the store
   */
  public UsageStore(Database db) {
    this.db = db;
  }

  /** One count: a node's calls of a principal to an endpoint with an effect since its start. */
  public record Count(String principal, String endpoint, String effect, long calls) {}

  /** Writes {@code node}'s counts (absolute, since its start): one writer per node's rows. */
  public void write(String node, List<Count> counts) {
    if (counts.isEmpty()) {
      return;
    }
    db.jdbi()
        .useTransaction(
            h -> {
              for (Count c : counts) {
                int updated =
                    h.createUpdate(
                            "UPDATE release_usage SET calls = ? WHERE node_id = ? AND principal = ?"
                                + " AND endpoint = ? AND effect = ?")
                        .bind(0, c.calls())
                        .bind(1, node)
                        .bind(2, c.principal())
                        .bind(3, c.endpoint())
                        .bind(4, c.effect())
                        .execute();
                if (updated == 0) {
                  h.createUpdate(
                          "INSERT INTO release_usage (node_id, principal, endpoint, effect, calls)"
                              + " VALUES (?, ?, ?, ?, ?)")
                      .bind(0, node)
                      .bind(1, c.principal())
                      .bind(2, c.endpoint())
                      .bind(3, c.effect())
                      .bind(4, c.calls())
                      .execute();
                }
              }
            });
  }

  /**
   * @return the principal's calls per endpoint and effect, summed over every node but {@code
   *     except} (whose own counts the caller adds from memory)
   */
  public Map<String, Map<String, Long>> others(String principal, String except) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT endpoint, effect, SUM(calls) FROM release_usage WHERE principal = ?"
                            + " AND node_id <> ? GROUP BY endpoint, effect")
                    .bind(0, principal)
                    .bind(1, except)
                    .map(
                        (rs, ctx) ->
                            new Count(principal, rs.getString(1), rs.getString(2), rs.getLong(3)))
                    .forEach(
                        c ->
                            out.computeIfAbsent(c.endpoint(), e -> new TreeMap<>())
                                .merge(c.effect(), c.calls(), Long::sum)));
    return out;
  }
}
