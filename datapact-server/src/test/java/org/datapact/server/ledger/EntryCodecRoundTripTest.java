package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.Effect;
import org.datapact.core.decision.Reason;
import org.datapact.core.decision.ReasonCode;
import org.datapact.core.jurisdiction.RuleSetId;
import org.datapact.core.label.Label;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.datapact.core.world.DemoPolicy;
import org.datapact.server.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link LedgerEntries} writes, {@link EntryCodec} reads back field for field: the writer and
 * the one reader of the entries cannot drift apart unseen.
 */
class EntryCodecRoundTripTest {
  private final ObjectMapper mapper = Json.newMapper();
  private final EntryCodec codec = new EntryCodec(mapper);

  @Test
  void everyDecisionEntryReadsBackAsItsRequestAndDecision(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("datapact.seed", System.nanoTime());
    System.out.println(
        "EntryCodecRoundTripTest seed=" + seed + " (rerun with -Ddatapact.seed=" + seed + ")");
    SplittableRandom rng = new SplittableRandom(seed);
    try (LedgerService ledger = LedgerService.open(dir, Clock.systemUTC(), Duration.ZERO)) {
      LedgerEntries entries = new LedgerEntries(mapper, ledger);
      for (int i = 0; i < 300; i++) {
        UserId subject = rng.nextBoolean() ? UserId.of(1 + rng.nextInt(1_000)) : null;
        Set<Label> labels = new java.util.HashSet<>();
        if (subject == null || rng.nextBoolean()) {
          labels.add(
              new Label(
                  PartyId.of(rng.nextBoolean() ? "streamflix" : "platform"),
                  DataCategory.values()[rng.nextInt(DataCategory.values().length)],
                  RuleSetId.of(rng.nextBoolean() ? "EU" : "US")));
        }
        DecisionRequest r =
            new DecisionRequest(
                PartyId.of("streamflix"),
                subject,
                new LabelSet(labels),
                Scope.values()[rng.nextInt(Scope.values().length)],
                Purpose.values()[rng.nextInt(Purpose.values().length)],
                Instant.ofEpochSecond(1_300_000_000L + rng.nextInt(300_000_000)),
                rng.nextBoolean() ? PartyId.of("ads") : null,
                rng.nextInt(5));
        boolean allow = rng.nextBoolean();
        Decision d =
            new Decision(
                allow ? Effect.ALLOW : Effect.DENY,
                List.of(
                    new Reason(
                        allow ? ReasonCode.PERMITTED : ReasonCode.NO_CONSENT,
                        "r#" + i,
                        "because " + i)),
                List.of(),
                "h".repeat(64),
                allow ? "deal@" + (1 + rng.nextInt(4)) : null);
        List<UserId> released = new ArrayList<>();
        for (int k = rng.nextInt(3); k > 0; k--) {
          released.add(UserId.of(2_000 + rng.nextInt(1_000)));
        }
        String askedBy = rng.nextInt(4) == 0 ? "regulator:rita" : null;
        String endpoint = rng.nextBoolean() ? "GET /api/v1/users/{userId}/friends" : null;
        CountryCode country = subject == null ? null : CountryCode.of("DE");

        String id = "d" + i;
        LedgerEntry read =
            codec.decode(entries.decision("d" + i, r, d, country, released, endpoint, askedBy));

        assertThat(read)
            .as("seed %d entry %d", seed, i)
            .isInstanceOfSatisfying(
                LedgerEntry.DecisionEntry.class,
                e -> {
                  assertThat(e.decisionId()).isEqualTo(id);
                  assertThat(e.at()).isEqualTo(r.at());
                  assertThat(e.principal()).isEqualTo(r.principal());
                  assertThat(new LabelSet(new java.util.HashSet<>(e.labels())))
                      .isEqualTo(r.labels());
                  assertThat(e.scope()).isEqualTo(r.scope());
                  assertThat(e.purpose()).isEqualTo(r.purpose());
                  assertThat(e.onBehalfOf()).isEqualTo(r.onBehalfOf());
                  assertThat(e.recentUses()).isEqualTo(r.recentUses());
                  assertThat(e.effect()).isEqualTo(d.effect().wire());
                  assertThat(e.reasons()).isEqualTo(LedgerEntries.reasons(d));
                  assertThat(e.agreementVersion()).isEqualTo(d.agreementVersion());
                  assertThat(e.policyHash()).isEqualTo(d.policyHash());
                  assertThat(e.endpoint()).isEqualTo(endpoint);
                  assertThat(e.whatIf()).isEqualTo(askedBy != null);
                  assertThat(e.askedBy()).isEqualTo(askedBy);
                  assertThat(e.released()).hasSize(released.size());
                  assertThat(e.subject() == null).isEqualTo(subject == null);
                  assertThat(e.subjects()).hasSize(subject == null ? 0 : 1);
                });
        assertThat(
                EntryCodec.subjectsOf(
                    entries.decision("d" + i, r, d, country, released, endpoint, askedBy)))
            .isEqualTo(read.subjects());
      }
    }
  }

  @Test
  void theOtherKindsReadBackToo(@TempDir Path dir) throws Exception {
    try (LedgerService ledger = LedgerService.open(dir, Clock.systemUTC(), Duration.ZERO)) {
      LedgerEntries entries = new LedgerEntries(mapper, ledger);
      Instant at = Instant.parse("2017-03-01T00:00:00Z");
      ConsentChange c =
          ConsentChange.grant(
              UserId.of(7),
              PartyId.of("streamflix"),
              ConsentTopic.VIDEO_SHARING,
              at,
              at.plus(Duration.ofDays(700)),
              ConsentBasis.EXPLICIT,
              "privacy-center");
      assertThat(codec.decode(entries.consent(c)))
          .isInstanceOfSatisfying(
              LedgerEntry.ConsentEntry.class,
              e -> {
                assertThat(e.party()).isEqualTo(c.party());
                assertThat(e.topic()).isEqualTo(c.topic());
                assertThat(e.granted()).isTrue();
                assertThat(e.expiresAt()).isEqualTo(c.expiresAt());
                assertThat(e.basis()).isEqualTo(ConsentBasis.EXPLICIT);
                assertThat(e.subjects()).containsExactly(e.subject());
              });

      var record = DemoPolicy.agreements().get(0);
      assertThat(codec.decode(entries.agreement(record)))
          .isInstanceOfSatisfying(
              LedgerEntry.AgreementEntry.class,
              e -> {
                assertThat(e.ref()).isEqualTo(record.terms().ref());
                assertThat(e.history()).isEqualTo(record.history());
              });

      Map<PartyId, PartyKind> kinds =
          Map.of(PartyId.of("streamflix"), PartyKind.PARTNER, PartyId.of("ads"), PartyKind.UNIT);
      assertThat(codec.decode(entries.parties(kinds)))
          .isEqualTo(new LedgerEntry.PartiesEntry(new java.util.TreeMap<>(kinds)));

      assertThat(codec.decode(entries.erasure(at, "user")))
          .isEqualTo(new LedgerEntry.ErasureEntry(at, "user"));

      byte[] listing =
          entries.listing(
              "l1",
              PartyId.of("streamflix"),
              Scope.PROFILE_BASIC,
              Purpose.RECOMMENDATIONS,
              at,
              "GET /api/v1/connections",
              List.of(UserId.of(1), UserId.of(2)),
              3);
      assertThat(codec.decode(listing))
          .isInstanceOfSatisfying(
              LedgerEntry.ListingEntry.class,
              e -> {
                assertThat(e.denied()).isEqualTo(3);
                assertThat(e.subjects()).hasSize(2);
                try {
                  assertThat(EntryCodec.subjectsOf(listing)).isEqualTo(e.subjects());
                } catch (IOException ex) {
                  throw new AssertionError(ex);
                }
              });
    }
  }

  @Test
  void refusesAnEntryItCannotReadInsteadOfGuessing() {
    assertThatThrownBy(() -> codec.decode("{\"type\":\"bribe\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unknown ledger entry type `bribe`");
    assertThatThrownBy(
            () ->
                codec.decode(
                    "{\"type\":\"erasure\",\"at\":\"yesterday\",\"requestedBy\":\"x\"}"
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not decode");
    assertThatThrownBy(() -> codec.decode("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
  }
}
