package org.datapact.core.decision;

import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Minimisation;

/**
 * Something the release pipeline must do when it releases allowed data. Sealed: the four kinds
 * below are all there is, and each is read by type ({@link Decision#obligation}), never by matching
 * a string. {@link #kind()} and {@link #value()} are only the wire form (the decision API and the
 * ledger's decision entries).
 */
public sealed interface Obligation
    permits Obligation.Minimise,
        Obligation.AggregateOnly,
        Obligation.RateLimit,
        Obligation.LinkDomains {

  /**
   * @return the wire name of the kind
   */
  String kind();

  /**
   * @return the wire form of the parameter
   */
  String value();

  /**
   * Release no more than the minimisation says (e.g. only the threads the partner's app started).
   *
   * @param minimisation never {@link Minimisation#NONE} (no obligation is made for that)
   */
  record Minimise(Minimisation minimisation) implements Obligation {
    /** Validates. */
    public Minimise {
      Objects.requireNonNull(minimisation, "minimisation");
      if (minimisation == Minimisation.NONE) {
        throw new IllegalArgumentException("minimising to `none` is no obligation");
      }
    }

    @Override
    public String kind() {
      return "minimise";
    }

    @Override
    public String value() {
      return minimisation.wire();
    }
  }

  /**
   * Only aggregates over at least {@code minCohort} users may be made of the data: the decision
   * point refuses a release about one user under such a permission (reason {@link
   * ReasonCode#AGGREGATE_ONLY}), so this comes only with a decision that names no subject.
   *
   * @param minCohort the smallest cohort, positive
   */
  record AggregateOnly(int minCohort) implements Obligation {
    /** Validates. */
    public AggregateOnly {
      if (minCohort <= 0) {
        throw new IllegalArgumentException("a minimum cohort is positive, got `" + minCohort + "`");
      }
    }

    @Override
    public String kind() {
      return "aggregate_only";
    }

    @Override
    public String value() {
      return Integer.toString(minCohort);
    }
  }

  /**
   * The release takes a token from the principal's bucket for this permission.
   *
   * @param limit requests per window
   */
  record RateLimit(Constraints.RateLimit limit) implements Obligation {
    /** Validates. */
    public RateLimit {
      Objects.requireNonNull(limit, "limit");
    }

    @Override
    public String kind() {
      return "rate_limit";
    }

    @Override
    public String value() {
      return limit.requests() + "/" + limit.per();
    }
  }

  /**
   * A sent message's links may point only to these domains (and their subdomains); empty: no links
   * at all. Every {@code messages.send} permission makes one.
   *
   * @param domains lowercase DNS names, sorted
   */
  record LinkDomains(SortedSet<String> domains) implements Obligation {
    /** Copies. */
    public LinkDomains {
      domains = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(domains));
    }

    /**
     * @return the obligation for these domains
     */
    public static LinkDomains of(Set<String> domains) {
      return new LinkDomains(new TreeSet<>(domains));
    }

    /**
     * @return whether a link to {@code host} may be sent
     */
    public boolean allows(String host) {
      return Constraints.linkAllowed(domains, host);
    }

    @Override
    public String kind() {
      return "link_domains";
    }

    @Override
    public String value() {
      return String.join(",", domains);
    }
  }
}
