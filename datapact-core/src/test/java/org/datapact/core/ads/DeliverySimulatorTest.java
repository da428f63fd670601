package org.datapact.core.ads;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.datapact.core.DataPactException;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.junit.jupiter.api.Test;

class DeliverySimulatorTest {
  private static final PartyId STREAMFLIX = PartyId.of("streamflix");
  private static final PartyId ACME = PartyId.of("acme");
  private static final LocalDate FROM = LocalDate.parse("2017-07-25");
  private static final LocalDate TO = LocalDate.parse("2017-08-10");
  private static final DeliverySimulator.Settings SETTINGS =
      new DeliverySimulator.Settings(7, 20_000, 1000);

  private record Run(
      DeliverySimulator.Summary summary,
      List<DeliverySimulator.DayResult> rows,
      List<DeliverySimulator.Refused> refused) {}

  private static Run run(long seed, DeliverySimulator.Gate gate) throws DataPactException {
    SplittableRandom rng = new SplittableRandom(99);
    AudienceIndex index = new AudienceIndex(Jurisdictions.standard());
    List<DeliverySimulator.Event> events = new ArrayList<>();
    for (long u = 1; u <= 3000; u++) {
      index.addUser(
          u,
          CountryCode.of(rng.nextBoolean() ? "US" : "DE"),
          AgeBand.values()[rng.nextInt(AgeBand.values().length)],
          rng.nextInt(1 << 12));
      Instant consentAt = Instant.parse("2017-07-01T00:00:00Z").plusSeconds(rng.nextInt(5_000_000));
      events.add(
          new DeliverySimulator.ConsentEvent(
              ConsentChange.grant(
                  UserId.of(u),
                  PolicySnapshot.PLATFORM,
                  ConsentTopic.of(Purpose.AD_TARGETING),
                  consentAt,
                  null,
                  ConsentBasis.EXPLICIT,
                  "t")));
      if (rng.nextDouble() < 0.5) {
        events.add(
            new DeliverySimulator.ConsentEvent(
                ConsentChange.grant(
                    UserId.of(u),
                    STREAMFLIX,
                    ConsentTopic.of(Purpose.AD_TARGETING),
                    consentAt,
                    null,
                    ConsentBasis.EXPLICIT,
                    "t")));
        events.add(
            new DeliverySimulator.SignalEvent(
                STREAMFLIX, u, Genre.values()[rng.nextInt(3)], consentAt.plusSeconds(60)));
      }
    }
    List<Campaign> campaigns =
        List.of(
            new Campaign(
                1,
                ACME,
                "acme de",
                50_000_000,
                BidKind.CPM,
                500,
                FROM,
                TO,
                new Predicate.InCountry(CountryCode.of("DE"))),
            new Campaign(
                2,
                STREAMFLIX,
                "sf drama",
                80_000_000,
                BidKind.CPC,
                90,
                FROM,
                TO,
                new Predicate.Watched(STREAMFLIX, Genre.DRAMA)),
            new Campaign(
                3,
                ACME,
                "acme tiny budget",
                1_000,
                BidKind.CPM,
                900,
                FROM,
                TO,
                new Predicate.InAgeBand(AgeBand.ADULT_25)),
            new Campaign(
                4,
                ACME,
                "acme on streamflix data",
                50_000_000,
                BidKind.CPM,
                800,
                FROM,
                TO,
                new Predicate.Watched(STREAMFLIX, Genre.COMEDY)));
    List<DeliverySimulator.DayResult> rows = new ArrayList<>();
    List<DeliverySimulator.Refused> refused = new ArrayList<>();
    DeliverySimulator.Summary s =
        new DeliverySimulator(index, events, campaigns, gate)
            .run(
                FROM,
                TO,
                new DeliverySimulator.Settings(
                    seed, SETTINGS.impressionsPerDay(), SETTINGS.scale()),
                (day, offered, r, ref) -> {
                  rows.addAll(r);
                  refused.addAll(ref);
                },
                (section, done, total) -> {});
    return new Run(s, rows, refused);
  }

  /** The restriction of the demo: streamflix data targets only for streamflix from August 2017. */
  private static final DeliverySimulator.Gate GATE =
      (c, a, at) ->
          a.sources().contains(STREAMFLIX)
                  && !c.advertiser().equals(STREAMFLIX)
                  && !at.isBefore(Instant.parse("2017-08-01T00:00:00Z"))
              ? "no-ad-targeting-but-own"
              : a.size() < AudienceGuard.DEFAULT_MINIMUM ? "fewer than 100" : null;

  @Test
  void theSameSeedGivesTheSameDelivery() throws Exception {
    Run a = run(7, GATE);
    Run b = run(7, GATE);
    assertThat(a.rows()).isEqualTo(b.rows());
    assertThat(a.summary()).isEqualTo(b.summary());
    assertThat(a.summary().revenueCents()).isPositive();
    assertThat(run(8, GATE).rows()).isNotEqualTo(a.rows());
  }

  @Test
  void attributionSumsExactlyToRevenueAndNoBudgetIsExceeded() throws Exception {
    Run r = run(7, GATE);
    Map<String, Long> bySource = new HashMap<>();
    Map<Long, Long> byCampaign = new HashMap<>();
    for (DeliverySimulator.DayResult row : r.rows()) {
      String source =
          row.campaignId() == 2 || row.campaignId() == 4 ? "first-party+streamflix" : "first-party";
      bySource.merge(source, row.spendCents(), Long::sum);
      byCampaign.merge(row.campaignId(), row.spendCents(), Long::sum);
    }
    assertThat(bySource.values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(r.summary().revenueCents());
    assertThat(byCampaign.getOrDefault(3L, 0L)).isLessThanOrEqualTo(1_000);
    assertThat(byCampaign.get(3L)).isEqualTo(1_000); // a small budget is spent to the cent
    assertThat(byCampaign.get(1L)).isLessThanOrEqualTo(50_000_000);
  }

  @Test
  void aCampaignRefusedByTheGateDeliversNothingFromThatDay() throws Exception {
    Run r = run(7, GATE);
    LocalDate restriction = LocalDate.parse("2017-08-01");
    assertThat(r.rows())
        .filteredOn(row -> row.campaignId() == 4)
        .isNotEmpty()
        .allSatisfy(row -> assertThat(row.day()).isBefore(restriction));
    assertThat(r.refused())
        .extracting(DeliverySimulator.Refused::campaignId, DeliverySimulator.Refused::day)
        .contains(org.assertj.core.groups.Tuple.tuple(4L, restriction));
    // streamflix's own campaign on its data goes on
    assertThat(r.rows())
        .filteredOn(row -> row.campaignId() == 2 && !row.day().isBefore(restriction))
        .isNotEmpty();
  }
}
