package org.datapact.store.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.Minimisation;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.Prohibition;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.junit.jupiter.api.Test;

/**
 * Generated agreements survive export → import → export unchanged: the importer reads back every
 * term the exporter writes, with the same meaning. Seeded; the seed is printed and {@code
 * -Ddatapact.seed=N} replays a run.
 */
class OdrlRoundTripPropertyTest {
  private static final int CASES = 500;
  private static final List<PartyId> PARTIES =
      List.of(
          PartyId.of("streamflix"),
          PartyId.of("tunely"),
          PartyId.of("seekr"),
          PartyId.of("watch"),
          PartyId.of("ads"));

  @Test
  void generatedAgreementsRoundTripUnchanged() throws Exception {
    long seed = Long.getLong("datapact.seed", System.nanoTime());
    System.out.println(
        "OdrlRoundTripPropertyTest seed=" + seed + " (replay with -Ddatapact.seed=" + seed + ")");
    Random rng = new Random(seed);
    OdrlCodec odrl = new OdrlCodec();
    for (int n = 0; n < CASES; n++) {
      AgreementVersion v = generate(rng, n);
      String first = odrl.toJson(v);
      AgreementVersion back = odrl.fromJson(first, "ignored", 0);
      assertThat(back).as("case %d (seed %d):%n%s", n, seed, first).isEqualTo(v);
      assertThat(odrl.toJson(back)).as("case %d (seed %d)", n, seed).isEqualTo(first);
    }
  }

  private static <T> T pick(Random rng, List<T> from) {
    return from.get(rng.nextInt(from.size()));
  }

  private static <T> Set<T> some(Random rng, List<T> from, int min) {
    Set<T> out = new LinkedHashSet<>();
    int n = min + rng.nextInt(Math.max(1, from.size() - min + 1));
    while (out.size() < Math.min(n, from.size())) {
      out.add(pick(rng, from));
    }
    return out;
  }

  private static AgreementVersion generate(Random rng, int n) {
    PartyId counterparty = pick(rng, PARTIES.subList(0, 3));
    Instant from = Instant.parse("2010-01-01T00:00:00Z").plus(Duration.ofDays(rng.nextInt(5000)));
    Instant until = rng.nextBoolean() ? null : from.plus(Duration.ofDays(1 + rng.nextInt(2000)));
    List<Permission> perms = new ArrayList<>();
    for (int i = 0, k = 1 + rng.nextInt(4); i < k; i++) {
      Scope scope = pick(rng, List.of(Scope.values()));
      Set<String> in =
          rng.nextInt(3) == 0 ? Set.of() : some(rng, List.of("US", "EU", "DEFAULT", "BR"), 1);
      Set<String> out =
          new LinkedHashSet<>(
              rng.nextInt(3) == 0 ? Set.of() : some(rng, List.of("FR", "DE", "JP"), 1));
      Instant nb = rng.nextBoolean() ? null : from.plus(Duration.ofDays(rng.nextInt(100)));
      Instant na = rng.nextBoolean() ? null : from.plus(Duration.ofDays(200 + rng.nextInt(100)));
      Minimisation m = pick(rng, List.of(Minimisation.values()));
      int cohort =
          m == Minimisation.AGGREGATE_ONLY
              ? 10 + rng.nextInt(100)
              : rng.nextInt(4) == 0 ? 1 + rng.nextInt(50) : 0;
      Constraints.RateLimit rate =
          rng.nextBoolean()
              ? null
              : new Constraints.RateLimit(
                  1 + rng.nextInt(100_000), Duration.ofSeconds(1 + rng.nextInt(3600)));
      Set<String> links =
          rng.nextInt(3) == 0
              ? Set.of()
              : some(rng, List.of("streamflix.example", "tunely.example", "cdn.example.org"), 1);
      perms.add(
          new Permission(
              "p" + i,
              pick(rng, PARTIES),
              scope,
              some(rng, List.of(Purpose.values()), 1),
              new Constraints(
                  Constraints.terms(in), Constraints.terms(out), nb, na, m, cohort, rate, links)));
    }
    List<Prohibition> prohibitions = new ArrayList<>();
    for (int i = 0, k = rng.nextInt(3); i < k; i++) {
      prohibitions.add(
          new Prohibition(
              "x" + i,
              some(rng, PARTIES.subList(0, 3), 1),
              rng.nextBoolean() ? Set.of() : some(rng, PARTIES.subList(3, 5), 1),
              rng.nextBoolean() ? Set.of() : some(rng, List.of(Purpose.values()), 1),
              rng.nextBoolean() ? Set.of() : some(rng, PARTIES.subList(0, 3), 1)));
    }
    List<Duty> duties = new ArrayList<>();
    for (int i = 0, k = rng.nextInt(3); i < k; i++) {
      duties.add(
          rng.nextBoolean()
              ? new Duty.Report(
                  "d" + i,
                  counterparty,
                  pick(rng, List.of("recommendation_sends", "recipient_clicks")),
                  pick(rng, List.of("month", "quarter", "year")),
                  rng.nextInt(30),
                  rng.nextInt(10),
                  rng.nextInt(101),
                  perms.isEmpty() || rng.nextBoolean()
                      ? Set.of()
                      : some(rng, perms.stream().map(Permission::id).toList(), 1))
              : Duty.spend(
                  "d" + i,
                  counterparty,
                  new BigDecimal(1 + rng.nextInt(1_000_000_000)),
                  pick(rng, List.of("USD", "EUR")),
                  2010 + rng.nextInt(15)));
    }
    return new AgreementVersion(
        "gen-" + n,
        1 + rng.nextInt(9),
        counterparty,
        "Generated agreement " + n,
        from,
        until,
        perms,
        prohibitions,
        duties);
  }
}
