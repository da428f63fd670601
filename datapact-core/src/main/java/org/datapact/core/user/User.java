package org.datapact.core.user;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user of the platform: the data subject whose data partners and units ask for.
 *
 * @param id internal id
 * @param handle unique login handle, lowercase
 * @param displayName the name friends see
 * @param country the country whose law applies to this user
 */
public record User(UserId id, String handle, String displayName, CountryCode country) {
  private static final Pattern HANDLE = Pattern.compile("[a-z][a-z0-9._-]{1,63}");

  /** Validates every field. */
  public User {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(country, "country");
    if (!HANDLE.matcher(handle).matches()) {
      throw new IllegalArgumentException(
          "handle `" + handle + "` must be 2-64 characters of a-z, 0-9, . _ -");
    }
  }

  /**
   * @return whether {@code handle} is a well-formed handle
   */
  public static boolean isValidHandle(String handle) {
    return handle != null && HANDLE.matcher(handle).matches();
  }
}
