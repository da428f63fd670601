package org.datapact.core.party;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identifier of a party (a partner company, an internal unit or the platform itself): a
 * lowercase slug such as {@code streamflix} or {@code watch}.
 *
 * @param value 2 to 32 characters of {@code [a-z0-9-]}, starting with a letter
 */
public record PartyId(String value) implements Comparable<PartyId> {
  private static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9-]{1,31}");

  /** Validates the slug. */
  public PartyId {
    Objects.requireNonNull(value, "value");
    if (!SLUG.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "party id `"
              + value
              + "` must be 2-32 characters of a-z, 0-9 and -, starting with a letter");
    }
  }

  /**
   * @return a party id, or an {@link IllegalArgumentException} naming the bad input
   */
  public static PartyId of(String value) {
    return new PartyId(value);
  }

  @Override
  public int compareTo(PartyId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
