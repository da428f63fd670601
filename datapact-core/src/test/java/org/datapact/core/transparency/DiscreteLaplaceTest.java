package org.datapact.core.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The noise has the distribution it claims: a chi-square goodness-of-fit test over 200,000 draws
 * from a seeded generator ({@code -Ddatapact.seed=N} to rerun one). The same test rejects the draws
 * against a neighbouring epsilon, so it can fail.
 */
class DiscreteLaplaceTest {
  private static final long SEED = Long.getLong("datapact.seed", 20261203L);
  private static final int DRAWS = 200_000;
  private static final int SPAN = 12;

  /** χ² critical value for 26 degrees of freedom at p = 0.001. */
  private static final double CRITICAL_26 = 54.05;

  private static long[] histogram(Epsilon epsilon, long seed) {
    System.out.println(
        "DiscreteLaplaceTest seed " + seed + " (rerun with -Ddatapact.seed=" + seed + ")");
    DiscreteLaplace noise = new DiscreteLaplace(epsilon, new SplittableRandom(seed));
    long[] bins = new long[2 * SPAN + 3]; // [0] below -SPAN, [1..2*SPAN+1] each value, [last] above
    for (int i = 0; i < DRAWS; i++) {
      long z = noise.sample();
      int bin = z < -SPAN ? 0 : z > SPAN ? bins.length - 1 : (int) z + SPAN + 1;
      bins[bin]++;
    }
    return bins;
  }

  /** P[Z = z] = (1 - α) / (1 + α) · α^|z| with α = exp(-ε). */
  private static double[] expected(double epsilon) {
    double a = Math.exp(-epsilon);
    double[] p = new double[2 * SPAN + 3];
    double tail = Math.pow(a, SPAN + 1) / (1 + a); // P[Z > SPAN]
    p[0] = tail;
    p[p.length - 1] = tail;
    for (int z = -SPAN; z <= SPAN; z++) {
      p[z + SPAN + 1] = (1 - a) / (1 + a) * Math.pow(a, Math.abs(z));
    }
    return p;
  }

  private static double chiSquare(long[] observed, double[] p) {
    double chi = 0;
    for (int i = 0; i < observed.length; i++) {
      double e = p[i] * DRAWS;
      chi += (observed[i] - e) * (observed[i] - e) / e;
    }
    return chi;
  }

  @Test
  void drawsFollowTheDiscreteLaplaceOfTheStatedEpsilon() {
    for (String eps : new String[] {"0.5", "0.25", "1"}) {
      long[] bins = histogram(Epsilon.parse(eps), SEED);
      double chi = chiSquare(bins, expected(Epsilon.parse(eps).value()));
      assertThat(chi).as("χ² at epsilon " + eps).isLessThan(CRITICAL_26);
    }
  }

  @Test
  void theTestRejectsDrawsOfAnotherEpsilon() {
    long[] bins = histogram(Epsilon.parse("0.5"), SEED);
    assertThat(chiSquare(bins, expected(0.42))).isGreaterThan(CRITICAL_26);
    assertThat(chiSquare(bins, expected(0.6))).isGreaterThan(CRITICAL_26);
  }

  @Test
  void noiseIsSymmetricAndCentred() {
    DiscreteLaplace noise = new DiscreteLaplace(Epsilon.parse("0.25"), new SplittableRandom(SEED));
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < DRAWS; i++) {
      long z = noise.sample();
      sum += z;
      squares += (double) z * z;
    }
    double a = Math.exp(-0.25);
    double variance = 2 * a / ((1 - a) * (1 - a)); // of the two-sided geometric
    assertThat(sum / DRAWS).isCloseTo(0, org.assertj.core.data.Offset.offset(0.1));
    assertThat(squares / DRAWS)
        .isCloseTo(variance, org.assertj.core.data.Percentage.withPercentage(3));
  }

  @Test
  void bernoulliOfExpMinusGammaHasItsProbability() {
    DiscreteLaplace noise = new DiscreteLaplace(Epsilon.parse("1"), new SplittableRandom(SEED));
    for (long[] g : new long[][] {{1, 3}, {1, 1}, {5, 2}}) {
      int ones = 0;
      for (int i = 0; i < DRAWS; i++) {
        if (noise.bernoulliExp(g[0], g[1])) {
          ones++;
        }
      }
      double p = Math.exp(-(double) g[0] / g[1]);
      double sd = Math.sqrt(p * (1 - p) / DRAWS);
      assertThat((double) ones / DRAWS).isCloseTo(p, org.assertj.core.data.Offset.offset(5 * sd));
    }
  }
}
