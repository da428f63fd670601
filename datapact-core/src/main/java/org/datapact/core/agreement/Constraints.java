package org.datapact.core.agreement;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.datapact.core.jurisdiction.JurisdictionTerm;
import org.jspecify.annotations.Nullable;

/**
 * The conditions of a permission, shaped after ODRL 2.2 constraints.
 *
 * @param jurisdictionsIncluded the rule sets or ISO countries the permission covers; empty means
 *     every jurisdiction
 * @param jurisdictionsExcluded the rule sets or ISO countries it never covers
 * @param notBefore start of the permission's own validity window, or null
 * @param notAfter end (exclusive) of the window, or null
 * @param minimisation how much data it releases
 * @param minCohort for aggregate-only use, the smallest cohort allowed (0 when not aggregate-only)
 * @param rateLimit requests per window, or null for none
 * @param linkDomains for {@code messages.send}: the domains (and their subdomains) that links in a
 *     sent message may point to; a link anywhere else is refused. Empty: no links at all
 */
public record Constraints(
    Set<JurisdictionTerm> jurisdictionsIncluded,
    Set<JurisdictionTerm> jurisdictionsExcluded,
    @Nullable Instant notBefore,
    @Nullable Instant notAfter,
    Minimisation minimisation,
    int minCohort,
    @Nullable RateLimit rateLimit,
    Set<String> linkDomains) {

  /** No constraints at all (and no link may be sent). */
  public static final Constraints NONE =
      new Constraints(Set.of(), Set.of(), null, null, Minimisation.NONE, 0, null, Set.of());

  /** Validates and copies. */
  public Constraints {
    jurisdictionsIncluded = Set.copyOf(jurisdictionsIncluded);
    jurisdictionsExcluded = Set.copyOf(jurisdictionsExcluded);
    Objects.requireNonNull(minimisation, "minimisation");
    linkDomains = Set.copyOf(linkDomains);
    for (String d : linkDomains) {
      if (!d.matches(
          "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")) {
        throw new IllegalArgumentException(
            "link domain `" + d + "` must be a lowercase DNS name such as `streamflix.example`");
      }
    }
    if (notBefore != null && notAfter != null && !notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException(
          "validity window ends `" + notAfter + "` before it starts `" + notBefore + "`");
    }
    if (minCohort < 0) {
      throw new IllegalArgumentException(
          "minimum cohort must not be negative, got `" + minCohort + "`");
    }
    if (minimisation == Minimisation.AGGREGATE_ONLY && minCohort == 0) {
      throw new IllegalArgumentException("aggregate-only use needs a minimum cohort size");
    }
    for (JurisdictionTerm j : jurisdictionsIncluded) {
      if (jurisdictionsExcluded.contains(j)) {
        throw new IllegalArgumentException(
            "jurisdiction `" + j + "` is both included and excluded");
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
        throw new IllegalArgumentException(
            "a rate limit needs a positive request count, got `" + requests + "`");
      }
      if (per == null || per.isNegative() || per.isZero()) {
        throw new IllegalArgumentException("a rate limit needs a positive window");
      }
    }
  }

  /**
   * @return these constraints with another jurisdiction inclusion/exclusion, given by name
   */
  public Constraints withJurisdictions(Set<String> included, Set<String> excluded) {
    return withJurisdictionTerms(terms(included), terms(excluded));
  }

  /**
   * @return these constraints with another jurisdiction inclusion/exclusion
   */
  public Constraints withJurisdictionTerms(
      Set<JurisdictionTerm> included, Set<JurisdictionTerm> excluded) {
    return new Constraints(
        included, excluded, notBefore, notAfter, minimisation, minCohort, rateLimit, linkDomains);
  }

  /**
   * @return these constraints with another minimisation
   */
  public Constraints withMinimisation(Minimisation m, int cohort) {
    return new Constraints(
        jurisdictionsIncluded,
        jurisdictionsExcluded,
        notBefore,
        notAfter,
        m,
        cohort,
        rateLimit,
        linkDomains);
  }

  /**
   * @return the terms these names give
   */
  public static Set<JurisdictionTerm> terms(Set<String> names) {
    Set<JurisdictionTerm> out = new java.util.HashSet<>();
    for (String n : names) {
      out.add(JurisdictionTerm.of(n));
    }
    return out;
  }

  /**
   * @return these constraints with a rate limit
   */
  public Constraints withRateLimit(@Nullable RateLimit limit) {
    return new Constraints(
        jurisdictionsIncluded,
        jurisdictionsExcluded,
        notBefore,
        notAfter,
        minimisation,
        minCohort,
        limit,
        linkDomains);
  }

  /**
   * @return these constraints with a validity window
   */
  public Constraints withWindow(@Nullable Instant from, @Nullable Instant until) {
    return new Constraints(
        jurisdictionsIncluded,
        jurisdictionsExcluded,
        from,
        until,
        minimisation,
        minCohort,
        rateLimit,
        linkDomains);
  }

  /**
   * @return these constraints with the domains links may point to
   */
  public Constraints withLinkDomains(Set<String> domains) {
    return new Constraints(
        jurisdictionsIncluded,
        jurisdictionsExcluded,
        notBefore,
        notAfter,
        minimisation,
        minCohort,
        rateLimit,
        domains);
  }

  /**
   * @return whether a link to {@code host} may be sent: the host is a named domain or under one
   */
  public boolean allowsLinkTo(String host) {
    return linkAllowed(linkDomains, host);
  }

  /**
   * @return whether {@code host} is one of {@code domains} or under one of them (case-insensitive)
   */
  public static boolean linkAllowed(java.util.Collection<String> domains, @Nullable String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(java.util.Locale.ROOT);
    for (String d : domains) {
      if (h.equals(d) || h.endsWith("." + d)) {
        return true;
      }
    }
    return false;
  }
}
