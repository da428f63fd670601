package org.datapact.core.transparency;

import java.util.List;
import java.util.Optional;

/**
 * The privacy budget: releases about the same calendar year share one total epsilon (by sequential
 * composition, publishing several noisy tables of the same releases costs the sum of their
 * epsilons). A period is a month, a quarter or a year, so it lies in one year. A release that would
 * take a year past its total is refused, and the refusal says what is left.
 *
 * @param perYear the total epsilon of every release about one calendar year
 */
public record PrivacyBudget(Epsilon perYear) {
  /** What one release spent, as the ledger records it. */
  public record Spend(int year, Epsilon epsilon) {}

  /**
   * @return what {@code year} has spent so far, or empty when nothing
   */
  public static Optional<Epsilon> spent(int year, List<Spend> spends) {
    Epsilon total = null;
    for (Spend s : spends) {
      if (s.year() == year) {
        total = total == null ? s.epsilon() : total.plus(s.epsilon());
      }
    }
    return Optional.ofNullable(total);
  }

  /**
   * @return empty when a release of {@code epsilon} about {@code year} fits the budget, otherwise
   *     why it does not
   */
  public Optional<String> refusal(int year, Epsilon epsilon, List<Spend> spends) {
    Optional<Epsilon> spent = spent(year, spends);
    Epsilon after = spent.map(s -> s.plus(epsilon)).orElse(epsilon);
    if (after.compareTo(perYear) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "the privacy budget of "
            + year
            + " is "
            + perYear
            + " and "
            + spent.map(Epsilon::toString).orElse("0")
            + " of it is spent: a release of epsilon "
            + epsilon
            + " would exceed it");
  }
}
