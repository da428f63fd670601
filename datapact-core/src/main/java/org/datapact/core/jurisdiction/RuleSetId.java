package org.datapact.core.jurisdiction;

import java.util.Objects;

/**
 * The id of a jurisdiction's rule set, e.g. {@code US}, {@code EU}, {@code DEFAULT}: what a label
 * carries and what a permission's rule-set terms name. It is not a country: a German user's data is
 * labelled {@code EU}, never {@code DE} (a country is a {@link org.datapact.core.user.CountryCode},
 * resolved to its rule set by {@link Jurisdictions#of}).
 *
 * @param value 2 to 16 uppercase letters, digits or {@code _}, starting with a letter
 */
public record RuleSetId(String value) {
  /** Validates. */
  public RuleSetId {
    Objects.requireNonNull(value, "value");
    if (!value.matches("[A-Z][A-Z0-9_]{1,15}")) {
      throw new IllegalArgumentException(
          "rule set id `" + value + "` must be 2-16 uppercase letters, digits or _");
    }
  }

  /**
   * @return the rule set id {@code value}
   */
  public static RuleSetId of(String value) {
    return new RuleSetId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
