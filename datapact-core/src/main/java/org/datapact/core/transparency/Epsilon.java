package org.datapact.core.transparency;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A privacy-loss parameter as an exact fraction, so the mechanism samples with integer arithmetic
 * only and budgets add up without rounding: {@code 0.25} is 1/4.
 *
 * @param numerator positive
 * @param denominator positive, coprime with the numerator
 */
public record Epsilon(long numerator, long denominator) implements Comparable<Epsilon> {
  /** The largest epsilon accepted: beyond it the noise no longer protects anything meaningfully. */
  public static final Epsilon MAX = new Epsilon(10, 1);

  /** Validates and reduces. */
  public Epsilon {
    if (numerator <= 0 || denominator <= 0) {
      throw new IllegalArgumentException("epsilon must be positive");
    }
    long g = BigInteger.valueOf(numerator).gcd(BigInteger.valueOf(denominator)).longValueExact();
    numerator /= g;
    denominator /= g;
  }

  /**
   * Reads a decimal such as {@code 0.25}: positive, at most 10, at most three decimals.
   *
   * @throws IllegalArgumentException naming the form expected
   */
  public static Epsilon parse(String text) {
    BigDecimal d;
    try {
      d = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "epsilon must be a decimal such as 0.25, got `" + text + "`");
    }
    if (d.signum() <= 0 || d.compareTo(BigDecimal.TEN) > 0 || d.stripTrailingZeros().scale() > 3) {
      throw new IllegalArgumentException(
          "epsilon must be above 0 and at most 10, with at most three decimals, got `"
              + text
              + "`");
    }
    BigDecimal scaled = d.movePointRight(3);
    return new Epsilon(scaled.longValueExact(), 1000);
  }

  /**
   * @return this plus {@code o}
   */
  public Epsilon plus(Epsilon o) {
    return new Epsilon(
        Math.addExact(
            Math.multiplyExact(numerator, o.denominator),
            Math.multiplyExact(o.numerator, denominator)),
        Math.multiplyExact(denominator, o.denominator));
  }

  /**
   * @return the value as a double, for display and the statistics of tests only
   */
  public double value() {
    return (double) numerator / denominator;
  }

  @Override
  public int compareTo(Epsilon o) {
    return Long.compare(
        Math.multiplyExact(numerator, o.denominator), Math.multiplyExact(o.numerator, denominator));
  }

  /**
   * @return the decimal text, e.g. {@code 0.25}
   */
  @Override
  public String toString() {
    return new BigDecimal(numerator)
        .divide(new BigDecimal(denominator), java.math.MathContext.DECIMAL64)
        .stripTrailingZeros()
        .toPlainString();
  }
}
