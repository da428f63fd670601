package org.datapact.core.jurisdiction;

import java.util.Objects;
import org.datapact.core.user.CountryCode;

/**
 * A term of a permission's jurisdiction constraint, as ODRL's {@code spatial} names it: a rule set
 * ({@code EU}) or an ISO country ({@code FR}). Some names are both ({@code US} is a country and the
 * rule set of that country); the term then names both, which mean the same users. Matching lives
 * here and only here.
 *
 * @param value 2 to 16 uppercase letters, digits or {@code _}, starting with a letter
 */
public record JurisdictionTerm(String value) {
  /** Validates. */
  public JurisdictionTerm {
    Objects.requireNonNull(value, "value");
    if (!value.matches("[A-Z][A-Z0-9_]{1,15}")) {
      throw new IllegalArgumentException(
          "jurisdiction term `"
              + value
              + "` must be a rule set id or an ISO 3166 country code (2-16 uppercase letters, digits or _)");
    }
  }

  /**
   * @return the term {@code value}
   */
  public static JurisdictionTerm of(String value) {
    return new JurisdictionTerm(value);
  }

  /**
   * @return whether the term covers a user of {@code country}, whose law is {@code ruleSet}
   */
  public boolean covers(CountryCode country, RuleSetId ruleSet) {
    return value.equals(country.value()) || value.equals(ruleSet.value());
  }

  /**
   * @return whether the term covers data labelled with {@code ruleSet}
   */
  public boolean covers(RuleSetId ruleSet) {
    return value.equals(ruleSet.value());
  }

  /**
   * @return whether the term names something: a rule set of the catalogue or a country of the JDK's
   *     ISO 3166 list. A term that names nothing cannot be evaluated, and its permission denies.
   */
  public boolean resolvesIn(Jurisdictions catalogue) {
    return catalogue.byId(value).isPresent() || CountryCode.isIsoCountry(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
