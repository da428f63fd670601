package org.datapact.core.ads;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.CountryCode;

/**
 * A segment's definition: predicates over first-party attributes (country, age band, interests) and
 * partner signals (genres watched), combined with AND, OR and NOT. {@link #sources()} names the
 * partners whose data a predicate reads — a {@code NOT} over a signal reads it too — and so whose
 * labels and consent the audience carries.
 */
public sealed interface Predicate
    permits Predicate.InCountry,
        Predicate.InAgeBand,
        Predicate.HasInterest,
        Predicate.Watched,
        Predicate.All,
        Predicate.Any,
        Predicate.Not {

  /** Most leaves one definition may have. */
  int MAX_LEAVES = 32;

  /** Deepest nesting one definition may have. */
  int MAX_DEPTH = 6;

  /**
   * @return the partners whose signals this predicate reads
   */
  default Set<PartyId> sources() {
    Set<PartyId> out = new TreeSet<>(java.util.Comparator.comparing(PartyId::value));
    collectSources(this, out);
    return out;
  }

  /**
   * @return a stable text form, e.g. {@code and(country=DE,age=25-34,watched=streamflix:drama)}:
   *     the same definition always gives the same text (it is what the ledger records)
   */
  String canonical();

  /**
   * @return how many leaves the predicate has (a leaf: 1)
   */
  default int leaves() {
    return 1;
  }

  /**
   * @return how deep the predicate nests (a leaf: 1)
   */
  default int depth() {
    return 1;
  }

  private static void collectSources(Predicate p, Set<PartyId> out) {
    if (p instanceof Watched w) {
      out.add(w.partner());
    } else if (p instanceof All a) {
      a.of().forEach(q -> collectSources(q, out));
    } else if (p instanceof Any a) {
      a.of().forEach(q -> collectSources(q, out));
    } else if (p instanceof Not n) {
      collectSources(n.of(), out);
    }
  }

  /** Users of a country. */
  record InCountry(CountryCode country) implements Predicate {
    /** Validates. */
    public InCountry {
      Objects.requireNonNull(country, "country");
    }

    @Override
    public String canonical() {
      return "country=" + country.value();
    }
  }

  /** Users in an age band. */
  record InAgeBand(AgeBand band) implements Predicate {
    /** Validates. */
    public InAgeBand {
      Objects.requireNonNull(band, "band");
    }

    @Override
    public String canonical() {
      return "age=" + band.wire();
    }
  }

  /** Users who declared an interest. */
  record HasInterest(Interest interest) implements Predicate {
    /** Validates. */
    public HasInterest {
      Objects.requireNonNull(interest, "interest");
    }

    @Override
    public String canonical() {
      return "interest=" + interest.wire();
    }
  }

  /** Users about whom {@code partner} signalled that they watched {@code genre}. */
  record Watched(PartyId partner, Genre genre) implements Predicate {
    /** Validates. */
    public Watched {
      Objects.requireNonNull(partner, "partner");
      Objects.requireNonNull(genre, "genre");
    }

    @Override
    public String canonical() {
      return "watched=" + partner.value() + ":" + genre.wire();
    }
  }

  /** Users every one of {@code of} holds for (AND). */
  record All(List<Predicate> of) implements Predicate {
    /** Validates: at least one operand. */
    public All {
      of = List.copyOf(of);
      if (of.isEmpty()) {
        throw new IllegalArgumentException("`and` needs at least one predicate");
      }
    }

    @Override
    public String canonical() {
      return of.stream().map(Predicate::canonical).collect(Collectors.joining(",", "and(", ")"));
    }

    @Override
    public int leaves() {
      return of.stream().mapToInt(Predicate::leaves).sum();
    }

    @Override
    public int depth() {
      return 1 + of.stream().mapToInt(Predicate::depth).max().orElse(0);
    }
  }

  /** Users any one of {@code of} holds for (OR). */
  record Any(List<Predicate> of) implements Predicate {
    /** Validates: at least one operand. */
    public Any {
      of = List.copyOf(of);
      if (of.isEmpty()) {
        throw new IllegalArgumentException("`or` needs at least one predicate");
      }
    }

    @Override
    public String canonical() {
      return of.stream().map(Predicate::canonical).collect(Collectors.joining(",", "or(", ")"));
    }

    @Override
    public int leaves() {
      return of.stream().mapToInt(Predicate::leaves).sum();
    }

    @Override
    public int depth() {
      return 1 + of.stream().mapToInt(Predicate::depth).max().orElse(0);
    }
  }

  /** Users {@code of} does not hold for (NOT; still reads the data of {@code of}). */
  record Not(Predicate of) implements Predicate {
    /** Validates. */
    public Not {
      Objects.requireNonNull(of, "of");
    }

    @Override
    public String canonical() {
      return "not(" + of.canonical() + ")";
    }

    @Override
    public int leaves() {
      return of.leaves();
    }

    @Override
    public int depth() {
      return 1 + of.depth();
    }
  }
}
