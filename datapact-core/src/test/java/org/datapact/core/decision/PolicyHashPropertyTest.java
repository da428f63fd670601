package org.datapact.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.Purpose;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.junit.jupiter.api.Test;

/**
 * The policy hash names the consent history, however it was applied: a snapshot built from the
 * whole history (as after a restart) and one built from a prefix with the rest applied
 * incrementally ({@code withConsent}, as a running server does) have the same hash. Seeded; the
 * seed is printed and {@code -Ddatapact.seed=N} replays a run.
 */
class PolicyHashPropertyTest {
  private static final List<PartyId> PARTIES =
      List.of(PartyId.of("streamflix"), PartyId.of("tunely"), PolicySnapshot.PLATFORM);
  private static final List<String> COUNTRIES = List.of("US", "DE", "FR", "BR", "JP");

  @Test
  void theHashAfterARebuildEqualsTheHashAfterTheSameChangesAppliedIncrementally() {
    long seed = Long.getLong("datapact.seed", System.nanoTime());
    System.out.println(
        "PolicyHashPropertyTest seed=" + seed + " (replay with -Ddatapact.seed=" + seed + ")");
    Random rng = new Random(seed);
    for (int round = 0; round < 50; round++) {
      int users = 1 + rng.nextInt(20);
      List<ConsentChange> history = new ArrayList<>();
      Instant t = Instant.parse("2015-01-01T00:00:00Z");
      for (int i = 0, n = rng.nextInt(60); i < n; i++) {
        t = t.plus(Duration.ofMinutes(1 + rng.nextInt(10_000)));
        UserId u = UserId.of(1 + rng.nextInt(users));
        PartyId p = PARTIES.get(rng.nextInt(PARTIES.size()));
        ConsentTopic topic =
            rng.nextInt(5) == 0
                ? ConsentTopic.VIDEO_SHARING
                : ConsentTopic.of(Purpose.values()[rng.nextInt(Purpose.values().length)]);
        history.add(
            rng.nextInt(4) == 0
                ? ConsentChange.revoke(u, p, topic, t, "test")
                : ConsentChange.grant(
                    u,
                    p,
                    topic,
                    t,
                    rng.nextBoolean() ? null : t.plus(Duration.ofDays(1 + rng.nextInt(900))),
                    rng.nextBoolean() ? ConsentBasis.EXPLICIT : ConsentBasis.TERMS,
                    "test"));
      }
      int split = history.isEmpty() ? 0 : rng.nextInt(history.size() + 1);
      PolicySnapshot rebuilt = build(users, history);
      PolicySnapshot again = build(users, history); // a restart on the same store
      PolicySnapshot incremental = build(users, history.subList(0, split));
      for (ConsentChange c : history.subList(split, history.size())) {
        incremental = incremental.withConsent(c);
      }
      assertThat(incremental.policyHash())
          .as("round %d, split %d of %d (seed %d)", round, split, history.size(), seed)
          .isEqualTo(rebuilt.policyHash());
      assertThat(again.policyHash()).isEqualTo(rebuilt.policyHash());
      assertThat(incremental.consentChanges()).isEqualTo(history.size());
      if (!history.isEmpty()) {
        assertThat(build(users, history.subList(0, history.size() - 1)).policyHash())
            .as("one change less is another history")
            .isNotEqualTo(rebuilt.policyHash());
      }
    }
  }

  private static PolicySnapshot build(int users, List<ConsentChange> history) {
    var b =
        PolicySnapshot.builder(
            Jurisdictions.standard(),
            Map.of(
                PartyId.of("streamflix"),
                PartyKind.PARTNER,
                PartyId.of("tunely"),
                PartyKind.PARTNER));
    for (int u = 1; u <= users; u++) {
      b.subject(UserId.of(u), CountryCode.of(COUNTRIES.get(u % COUNTRIES.size())));
    }
    history.forEach(b::consent);
    return b.build();
  }
}
