package org.datapact.core.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PublicationTest {
  private static final long SEED = Long.getLong("datapact.seed", 20261203L);

  private static final List<String> PARTNERS = List.of("streamflix", "tunely");
  private static final List<String> SCOPES = List.of("friends.list", "inbox.read");
  private static final List<String> PURPOSES = List.of("recommendations");
  private static final List<String> COUNTRIES = List.of("DE", "US", "ZZ");

  @Test
  void suppressedCellsNeverAppearAndPublishedOnesAreNearTheirCounts() {
    System.out.println("PublicationTest seed " + SEED);
    var big = new Cell("streamflix", "friends.list", "recommendations", "US");
    var small = new Cell("streamflix", "inbox.read", "recommendations", "DE");
    for (int round = 0; round < 200; round++) {
      var out =
          Publication.publish(
              Map.of(big, 5_000L, small, 3L),
              PARTNERS,
              SCOPES,
              PURPOSES,
              COUNTRIES,
              20,
              new DiscreteLaplace(Epsilon.parse("0.5"), new SplittableRandom(SEED + round)));
      assertThat(out.values()).allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(20));
      assertThat(out).containsKey(big);
      assertThat(out.get(big)).isBetween(5_000L - 60, 5_000L + 60);
      // a cell of 3 releases would need noise of at least 17 to appear: P ≈ e^-8.5, never in 200
      assertThat(out).doesNotContainKey(small);
    }
  }

  @Test
  void everyCellOfTheDomainIsNoisedEvenWhenNothingWasCounted() {
    // with no releases at all and a threshold of 1, about half of the 12 empty cells show noise >=
    // 1
    int shown = 0;
    for (int round = 0; round < 100; round++) {
      shown +=
          Publication.publish(
                  Map.of(),
                  PARTNERS,
                  SCOPES,
                  PURPOSES,
                  COUNTRIES,
                  1,
                  new DiscreteLaplace(Epsilon.parse("0.5"), new SplittableRandom(SEED + round)))
              .size();
    }
    double a = Math.exp(-0.5);
    double p = a / (1 + a); // P[Z >= 1]
    assertThat(shown / 1200.0).isCloseTo(p, org.assertj.core.data.Offset.offset(0.05));
  }

  @Test
  void theThresholdKeepsCellsOfNothingButNoiseOutOfALargeDomain() {
    int cells = 30_000;
    long tau = Publication.threshold(cells, Epsilon.parse("0.25"), 20);
    assertThat(tau).isEqualTo(60); // ln(3,000,000) / 0.25 = 59.6
    assertThat(Publication.threshold(cells, Epsilon.parse("1"), 20)).isEqualTo(20);
    List<String> countries = new java.util.ArrayList<>();
    for (int i = 0; i < cells / 4; i++) {
      countries.add(String.format("%04d", i));
    }
    int noise = 0;
    int naive = 0;
    for (int round = 0; round < 5; round++) {
      noise +=
          Publication.publish(
                  Map.of(),
                  List.of("p"),
                  List.of("a", "b"),
                  List.of("x", "y"),
                  countries,
                  tau,
                  new DiscreteLaplace(Epsilon.parse("0.25"), new SplittableRandom(SEED + round)))
              .size();
      naive +=
          Publication.publish(
                  Map.of(),
                  List.of("p"),
                  List.of("a", "b"),
                  List.of("x", "y"),
                  countries,
                  20,
                  new DiscreteLaplace(Epsilon.parse("0.25"), new SplittableRandom(SEED + round)))
              .size();
    }
    assertThat(noise).isZero();
    assertThat(naive).isGreaterThan(300); // about 113 a table with a fixed threshold of 20
  }

  @Test
  void refusesACountedCellOutsideTheDomain() {
    assertThatThrownBy(
            () ->
                Publication.publish(
                    Map.of(new Cell("seekr", "friends.list", "recommendations", "US"), 1L),
                    PARTNERS,
                    SCOPES,
                    PURPOSES,
                    COUNTRIES,
                    20,
                    new DiscreteLaplace(Epsilon.parse("0.5"), new SplittableRandom(SEED))))
        .hasMessageContaining("outside the domain");
  }

  @Test
  void budgetRefusesAReleasePastItsEpsilon() {
    var budget = new PrivacyBudget(Epsilon.parse("1"));
    var spends =
        List.of(
            new PrivacyBudget.Spend(2019, Epsilon.parse("0.5")),
            new PrivacyBudget.Spend(2019, Epsilon.parse("0.25")),
            new PrivacyBudget.Spend(2020, Epsilon.parse("1")));
    assertThat(budget.refusal(2019, Epsilon.parse("0.25"), spends)).isEmpty();
    assertThat(budget.refusal(2019, Epsilon.parse("0.251"), spends))
        .get()
        .asString()
        .contains("budget of 2019 is 1 and 0.75 of it is spent");
    assertThat(budget.refusal(2020, Epsilon.parse("0.001"), spends)).isPresent();
    assertThat(budget.refusal(2021, Epsilon.parse("1"), spends)).isEmpty();
  }

  @Test
  void epsilonIsReadExactly() {
    assertThat(Epsilon.parse("0.25")).isEqualTo(new Epsilon(1, 4));
    assertThat(Epsilon.parse("0.1").plus(Epsilon.parse("0.2"))).isEqualTo(Epsilon.parse("0.3"));
    assertThat(Epsilon.parse("0.250").toString()).isEqualTo("0.25");
    for (String bad : new String[] {"0", "-1", "11", "0.0001", "abc", "NaN"}) {
      assertThatThrownBy(() -> Epsilon.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
