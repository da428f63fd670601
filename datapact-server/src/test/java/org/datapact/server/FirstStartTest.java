package org.datapact.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.datapact.core.user.UserId;
import org.junit.jupiter.api.Test;

/**
 * A first start builds its decision point, its ads index and its ledger's consent entries from the
 * world as it is generated; every later start reads the store. Both must be the same policy, or a
 * decision made on the first would replay differently from the log (docs/benchmarks.md, the first
 * start at 10^6 users). The ads index's input, the ad-targeting history kept aside, is compared in
 * the store's contract test.
 */
class FirstStartTest {

  @Test
  void theFirstStartDecidesOnThePolicyEveryLaterStartReadsFromTheStore() throws Exception {
    TestServer first = TestServer.demo();
    String hash;
    long changes;
    String country;
    long entries;
    try {
      assertThat(first.snapshotFromGenerator).isTrue();
      var snapshot = first.context.decisions().snapshot();
      hash = snapshot.policyHash();
      changes = snapshot.consentChanges();
      country = snapshot.countryOf(UserId.of(1)).orElseThrow().value();
      entries = first.ledger.log().size();
      first.stopKeepingData();
    } catch (Exception | AssertionError e) {
      first.close();
      throw e;
    }
    try (TestServer again = TestServer.restartOf(first)) {
      assertThat(again.snapshotFromGenerator).isFalse();
      var snapshot = again.context.decisions().snapshot();
      assertThat(snapshot.policyHash()).isEqualTo(hash);
      assertThat(snapshot.consentChanges()).isEqualTo(changes).isGreaterThan(300);
      assertThat(snapshot.countryOf(UserId.of(1)).orElseThrow().value()).isEqualTo(country);
      // the history the first start committed from memory is the one the store holds: the restart
      // finds nothing left to commit
      assertThat(again.ledger.log().size()).isEqualTo(entries).isGreaterThan(changes);
    }
  }
}
