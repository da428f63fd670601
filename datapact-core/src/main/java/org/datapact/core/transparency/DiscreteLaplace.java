package org.datapact.core.transparency;

import java.util.random.RandomGenerator;

/**
 * The discrete Laplace (two-sided geometric) mechanism, sampled exactly with integer arithmetic: a
 * count of sensitivity 1 plus noise {@code Z} with {@code P[Z = z] ∝ exp(-ε·|z|)} is
 * ε-differentially private. The sampler is Algorithm 2 of C. L. Canonne, G. Kamath and T. Steinke,
 * "The Discrete Gaussian for Differential Privacy", NeurIPS 2020 (arXiv:2004.00010), with its
 * Bernoulli(exp(-γ)) sampler (Algorithm 1): no floating point, so none of the attacks on
 * floating-point Laplace noise (I. Mironov, "On Significance of the Least Significant Bits for
 * Differential Privacy", CCS 2012) apply. The randomness must come from a secure source in
 * production ({@link java.security.SecureRandom}); tests pass a seeded generator.
 *
 * <p>Not thread-safe when the generator is not.
 */
public final class DiscreteLaplace {
  private final RandomGenerator random;
  private final long s;
  private final long t;

  /**
   * @param epsilon the privacy loss for a count of sensitivity 1: the noise's scale is 1/ε
   * @param random the source of randomness
   */
  public DiscreteLaplace(Epsilon epsilon, RandomGenerator random) {
    this.random = random;
    // Lap_Z(t/s) has P[z] ∝ exp(-|z|·s/t); scale 1/ε = den/num
    this.s = epsilon.numerator();
    this.t = epsilon.denominator();
  }

  /**
   * @return one draw of the noise
   */
  public long sample() {
    while (true) {
      long u = random.nextLong(t);
      if (!bernoulliExp(u, t)) {
        continue;
      }
      long v = 0;
      while (bernoulliExp(1, 1)) {
        v++;
      }
      long x = u + t * v;
      long y = x / s;
      boolean negative = random.nextBoolean();
      if (negative && y == 0) {
        continue;
      }
      return negative ? -y : y;
    }
  }

  /**
   * @return {@code count} plus one draw of the noise
   */
  public long noisy(long count) {
    return Math.addExact(count, sample());
  }

  /** Bernoulli(num/den), {@code 0 <= num <= den}. */
  private boolean bernoulli(long num, long den) {
    return random.nextLong(den) < num;
  }

  /** Bernoulli(exp(-num/den)) for {@code num >= 0} (Canonne, Kamath and Steinke, Algorithm 1). */
  boolean bernoulliExp(long num, long den) {
    if (num <= den) {
      long k = 1;
      while (bernoulli(num, Math.multiplyExact(den, k))) {
        k++;
      }
      return k % 2 == 1;
    }
    for (long i = 0; i < num / den; i++) {
      if (!bernoulliExp(1, 1)) {
        return false;
      }
    }
    return bernoulliExp(num % den, den);
  }
}
