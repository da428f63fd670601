package org.datapact.core.transparency;

import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Publishes exact counts with differential privacy: every cell of a domain fixed before looking at
 * the data (partners × scopes × purposes × countries) gets its own draw of discrete Laplace noise
 * (each release falls in exactly one cell, so the table has sensitivity 1 and the whole table costs
 * epsilon once), then cells whose noisy count is below the threshold are suppressed. Suppression
 * reads only the noisy count, so it is post-processing and costs no privacy; a cell present in the
 * output therefore says nothing exact about any one release, and a suppressed cell does not appear
 * at all. Noisy counts are never negative in the output (they are at least the threshold).
 *
 * <p>The unit of privacy is one release (event-level): a user whose data was released k times in
 * the period is protected with k·epsilon (group privacy), which the report states.
 */
public final class Publication {
  private Publication() {}

  /** At most this many cells with no releases at all are expected in a published table. */
  static final double EXPECTED_FALSE_CELLS = 0.01;

  /**
   * The threshold that keeps noise alone out of the table: with {@code cells} cells in the domain,
   * most of them empty, a fixed threshold would publish about {@code cells · P[Z ≥ τ]} cells made
   * of nothing but noise (at epsilon 0.25 and 27,000 cells, a hundred cells of about 24 "releases"
   * each). The threshold is raised until that expectation is at most {@value
   * #EXPECTED_FALSE_CELLS}: {@code P[Z ≥ τ] = α^τ / (1 + α)} with {@code α = exp(-ε)}, so {@code τ
   * ≥ ln(cells / 0.01) / ε}. It depends only on public parameters (the domain's size and epsilon),
   * never on the counts, so it costs no privacy.
   *
   * @param minimum the smallest threshold wanted whatever the noise
   * @return the threshold to publish with
   */
  public static long threshold(long cells, Epsilon epsilon, long minimum) {
    double tau = Math.log(Math.max(1, cells) / EXPECTED_FALSE_CELLS) / epsilon.value();
    return Math.max(minimum, (long) Math.ceil(tau));
  }

  /**
   * @param counts the exact counts; every counted cell must lie in the domain
   * @param partners the partners of the domain
   * @param scopes the scopes of the domain
   * @param purposes the purposes of the domain
   * @param countries the countries of the domain (with {@link Cell#UNKNOWN_COUNTRY})
   * @param threshold the smallest noisy count published
   * @return the published cells, in order
   * @throws IllegalArgumentException when a counted cell lies outside the domain (its release would
   *     otherwise vanish from the report without a trace)
   */
  public static SortedMap<Cell, Long> publish(
      Map<Cell, Long> counts,
      Collection<String> partners,
      Collection<String> scopes,
      Collection<String> purposes,
      Collection<String> countries,
      long threshold,
      DiscreteLaplace noise) {
    if (threshold < 1) {
      throw new IllegalArgumentException("the suppression threshold must be at least 1");
    }
    for (Cell c : counts.keySet()) {
      if (!partners.contains(c.partner())
          || !scopes.contains(c.scope())
          || !purposes.contains(c.purpose())
          || !countries.contains(c.country())) {
        throw new IllegalArgumentException("counted cell " + c + " lies outside the domain");
      }
    }
    SortedMap<Cell, Long> out = new TreeMap<>();
    for (String partner : new java.util.TreeSet<>(partners)) {
      for (String scope : new java.util.TreeSet<>(scopes)) {
        for (String purpose : new java.util.TreeSet<>(purposes)) {
          for (String country : new java.util.TreeSet<>(countries)) {
            Cell cell = new Cell(partner, scope, purpose, country);
            long noisy = noise.noisy(counts.getOrDefault(cell, 0L));
            if (noisy >= threshold) {
              out.put(cell, noisy);
            }
          }
        }
      }
    }
    return out;
  }
}
