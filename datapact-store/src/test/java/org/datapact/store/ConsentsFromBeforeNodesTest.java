package org.datapact.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.datapact.store.ledger.LedgerRecords;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A store from before several nodes (its ledgered consent changes carry no node) migrated to this
 * version: the shard that recorded them keeps them, and a node started afterwards records them in
 * its own shard at its start.
 */
class ConsentsFromBeforeNodesTest {
  @Test
  void aSecondNodesShardRecordsTheConsentChangesLedgeredBeforeThereWereNodes() throws Exception {
    String url =
        "jdbc:h2:mem:b" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/migration")
        .target("25")
        .load()
        .migrate();
    try (var c = java.sql.DriverManager.getConnection(url);
        var s = c.createStatement()) {
      String columns =
          "INSERT INTO consent_event (user_id, party_id, topic, granted, changed_at, basis, source,"
              + " ledger_index, node_id, node_seq) VALUES ";
      // generated history (never a node's, tracked by each shard's watermark), a change one node
      // ledgered before there were nodes, and one a node made and numbered
      s.execute(
          columns
              + "(1, 'streamflix', 'recommendations', TRUE, NOW(), 'terms', 'gen', NULL, NULL, NULL)");
      s.execute(
          columns
              + "(1, 'streamflix', 'recommendations', FALSE, NOW(), 'explicit', 'ui', 12, NULL, NULL)");
      s.execute(
          columns
              + "(1, 'streamflix', 'recommendations', TRUE, NOW(), 'explicit', 'ui', 20, 'node-a', 1)");
      // the first shard's record of the node-less change, as V24 left it: to be adopted
      s.execute(
          "INSERT INTO shard_consent (shard, consent_id) SELECT '', id FROM consent_event WHERE ledger_index = 12");
    }
    try (Database db = Database.open(new StoreConfig(url, null, null, null))) {
      var first = new LedgerRecords(db, "shard-first");
      first.adoptUnsharded();
      var second = new LedgerRecords(db, "shard-second");
      List<String> onFirst = new ArrayList<>();
      first.forEachConsentNotRecorded(
          sc -> onFirst.add(sc.change().source() + " " + sc.change().granted()));
      List<String> onSecond = new ArrayList<>();
      second.forEachConsentNotRecorded(
          sc -> onSecond.add(sc.change().source() + " " + sc.change().granted()));
      assertThat(onFirst)
          .as("the first holds its own; node-a's is not in it yet")
          .containsExactly("ui true");
      assertThat(onSecond)
          .as("the second lacks both ledgered changes, in history order; never the generated one")
          .containsExactly("ui false", "ui true");
      assertThat(new org.datapact.store.cluster.ClusterStore(db).heads())
          .as("no node is made up for the changes from before the nodes")
          .containsOnlyKeys("node-a");
    }
  }
}
