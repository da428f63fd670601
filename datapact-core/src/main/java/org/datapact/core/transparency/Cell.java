package org.datapact.core.transparency;

import java.util.Comparator;
import java.util.Objects;

/**
 * One cell of the transparency report: releases to a partner of a scope for a purpose about users
 * of a country ({@code ZZ} when the country is not known: the user was erased, or the decision did
 * not concern one user's country).
 *
 * @param partner the partner's party id
 * @param scope the scope's wire name
 * @param purpose the purpose's wire name
 * @param country an ISO 3166-1 alpha-2 code, or {@code ZZ}
 */
public record Cell(String partner, String scope, String purpose, String country)
    implements Comparable<Cell> {
  /** The country of a release whose user's country is not known. */
  public static final String UNKNOWN_COUNTRY = "ZZ";

  private static final Comparator<Cell> ORDER =
      Comparator.comparing(Cell::partner)
          .thenComparing(Cell::scope)
          .thenComparing(Cell::purpose)
          .thenComparing(Cell::country);

  /** Validates. */
  public Cell {
    Objects.requireNonNull(partner, "partner");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(country, "country");
  }

  @Override
  public int compareTo(Cell o) {
    return ORDER.compare(this, o);
  }
}
