package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Seeded property: after any interleaving of consent changes and decisions (and an erasure), every
 * decision entry whose subject was not erased replays to the recorded answer from the log alone.
 * Reproduce with {@code -Ddatapact.seed=N}.
 */
class LedgerReplayPropertyTest {
  @Test
  void everyRecordedDecisionReplaysFromTheLog() throws Exception {
    long seed = Long.getLong("datapact.seed", System.nanoTime());
    System.out.println("LedgerReplayPropertyTest seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    try (TestServer server = TestServer.serve()) {
      ServerContext c = server.context;
      List<PartyId> principals =
          c.decisions().snapshot().partyKinds().entrySet().stream()
              .filter(e -> e.getValue() != PartyKind.PLATFORM)
              .map(java.util.Map.Entry::getKey)
              .sorted()
              .toList();
      List<PartyId> consentParties =
          new ArrayList<>(
              principals.stream()
                  .filter(p -> c.decisions().snapshot().partyKinds().get(p) == PartyKind.PARTNER)
                  .toList());
      consentParties.add(org.datapact.core.decision.PolicySnapshot.PLATFORM);
      Instant t = Instant.parse("2019-01-01T00:00:00Z");
      List<Long> decisions = new ArrayList<>();
      long erasedUser = -1;
      for (int step = 0; step < 300; step++) {
        t = t.plus(Duration.ofMinutes(1 + rnd.nextInt(600)));
        long user = 1 + rnd.nextInt(40);
        int op = rnd.nextInt(10);
        if (op < 4) {
          PartyId party = consentParties.get(rnd.nextInt(consentParties.size()));
          ConsentTopic topic =
              ConsentTopic.of(Purpose.values()[rnd.nextInt(Purpose.values().length)]);
          ConsentChange change =
              rnd.nextBoolean()
                  ? ConsentChange.grant(
                      UserId.of(user),
                      party,
                      topic,
                      t,
                      null,
                      rnd.nextBoolean() ? ConsentBasis.EXPLICIT : ConsentBasis.TERMS,
                      "property-test")
                  : ConsentChange.revoke(UserId.of(user), party, topic, t, "property-test");
          synchronized (c.decisions()) {
            c.audit().consent(change);
            c.decisions().apply(change);
          }
        } else if (op == 9 && erasedUser < 0) {
          erasedUser = user;
          c.audit()
              .erase(
                  c.decisions(),
                  UserId.of(user),
                  "property-test",
                  t,
                  c.policies().current(UserId.of(user)));
        } else {
          DecisionRequest r =
              DecisionRequest.about(
                      principals.get(rnd.nextInt(principals.size())),
                      UserId.of(user),
                      Scope.values()[rnd.nextInt(Scope.values().length)],
                      Purpose.values()[rnd.nextInt(Purpose.values().length)],
                      t)
                  .withRecentUses(rnd.nextInt(3));
          Decision d = c.decisions().decide(r);
          decisions.add(
              c.audit()
                  .decision(
                      UUID.randomUUID().toString(),
                      r,
                      d,
                      c.decisions().snapshot().countryOf(UserId.of(user)).orElse(null)));
        }
      }
      int replayed = 0;
      for (long index : decisions) {
        LedgerReplay.Result r = LedgerReplay.replay(server.ledgerDir, index, c.mapper());
        if (r.outcome() == LedgerReplay.Outcome.ERASED) {
          continue;
        }
        assertThat(r.outcome())
            .as("seed %d, entry %d: %s", seed, index, r.message())
            .isEqualTo(LedgerReplay.Outcome.MATCH);
        replayed++;
      }
      assertThat(replayed).as("seed %d", seed).isGreaterThan(decisions.size() / 2);
    }
  }
}
