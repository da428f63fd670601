package org.datapact.core.agreement;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The conditions of a permission, shaped after ODRL 2.2 constraints.
 *
 * @param jurisdictionsIncluded rule-set ids or ISO country codes the permission covers; empty
 *     means every jurisdiction
 * @param jurisdictionsExcluded rule-set ids or ISO country codes it never covers
 * @param notBefore start of the permission's own validity window, or null
 * @param notAfter end (exclusive) of the window, or null
 * @param minimisation how much data it releases
 * @param minCohort for aggregate-only use, the smallest cohort allowed (0 when not aggregate-only)
 * @param rateLimit requests per window, or null for none
 */
public record Constraints(
    Set<String> jurisdictionsIncluded,
    Set<String> jurisdictionsExcluded,
    Instant notBefore,
    Instant notAfter,
    Minimisation minimisation,
    int minCohort,
    RateLimit rateLimit) {

  /** No constraints at all. */
  public static final Constraints NONE = new Constraints(Set.of(), Set.of(), null, null, Minimisation.NONE, 0, null);

  /** Validates and copies. */
  public Constraints {
    jurisdictionsIncluded = Set.copyOf(jurisdictionsIncluded);
    jurisdictionsExcluded = Set.copyOf(jurisdictionsExcluded);
    Objects.requireNonNull(minimisation, "minimisation");
    if (notBefore != null && notAfter != null && !notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("validity window ends `" + notAfter + "` before it starts `" + notBefore + "`");
    }
    if (minCohort < 0) {
      throw new IllegalArgumentException("minimum cohort must not be negative, got `" + minCohort + "`");
    }
    if (minimisation == Minimisation.AGGREGATE_ONLY && minCohort == 0) {
      throw new IllegalArgumentException("aggregate-only use needs a minimum cohort size");
    }
    for (String j : jurisdictionsIncluded) {
      if (jurisdictionsExcluded.contains(j)) {
        throw new IllegalArgumentException("jurisdiction `" + j + "` is both included and excluded");
      }
    }
  }

  /**
   * A rate limit.
   *
   * @param requests how many requests
   * @param per in what window
   */
  public record RateLimit(int requests, Duration per) {
    /** Validates. */
    public RateLimit {
      if (requests <= 0) {
        throw new IllegalArgumentException("a rate limit needs a positive request count, got `" + requests + "`");
      }
      if (per == null || per.isNegative() || per.isZero()) {
        throw new IllegalArgumentException("a rate limit needs a positive window");
      }
    }
  }

  /** @return these constraints with another jurisdiction inclusion/exclusion */
  public Constraints withJurisdictions(Set<String> included, Set<String> excluded) {
    return new Constraints(included, excluded, notBefore, notAfter, minimisation, minCohort, rateLimit);
  }

  /** @return these constraints with another minimisation */
  public Constraints withMinimisation(Minimisation m, int cohort) {
    return new Constraints(jurisdictionsIncluded, jurisdictionsExcluded, notBefore, notAfter, m, cohort, rateLimit);
  }

  /** @return these constraints with a rate limit */
  public Constraints withRateLimit(RateLimit limit) {
    return new Constraints(jurisdictionsIncluded, jurisdictionsExcluded, notBefore, notAfter, minimisation, minCohort, limit);
  }

  /** @return these constraints with a validity window */
  public Constraints withWindow(Instant from, Instant until) {
    return new Constraints(jurisdictionsIncluded, jurisdictionsExcluded, from, until, minimisation, minCohort, rateLimit);
  }
}
