package org.datapact.core.user;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An ISO 3166-1 alpha-2 country code, the country whose law applies to a user.
 *
 * @param value two uppercase letters that ISO 3166 assigns, e.g. {@code US}, {@code DE}
 */
public record CountryCode(String value) implements Comparable<CountryCode> {
  private static final Set<String> ISO = Set.of(Locale.getISOCountries());

  /** Validates against the JDK's list of ISO 3166 countries. */
  public CountryCode {
    Objects.requireNonNull(value, "value");
    if (!ISO.contains(value)) {
      throw new IllegalArgumentException(
          "country `" + value + "` is not an ISO 3166-1 alpha-2 code such as `US` or `DE`");
    }
  }

  /**
   * @return whether {@code value} is a country of the JDK's ISO 3166 list
   */
  public static boolean isIsoCountry(String value) {
    return ISO.contains(value);
  }

  /**
   * @return the country code for {@code value}
   */
  public static CountryCode of(String value) {
    return new CountryCode(value);
  }

  @Override
  public int compareTo(CountryCode o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
