package org.datapact.core.world;

import java.util.Objects;
import org.datapact.core.party.PartyId;
import org.jspecify.annotations.Nullable;

/**
 * A person who uses DataPact's console rather than being a data subject: an operator, a regulator,
 * or a partner's staff member.
 *
 * @param handle login handle
 * @param displayName the person's name
 * @param role what they may do
 * @param party for {@link ConsoleRole#PARTNER} the partner they work for; null otherwise
 */
public record ConsoleAccount(
    String handle, String displayName, ConsoleRole role, @Nullable PartyId party) {
  /** Validates that exactly partner staff name a party. */
  public ConsoleAccount {
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(role, "role");
    if ((role == ConsoleRole.PARTNER) != (party != null)) {
      throw new IllegalArgumentException(
          "console account `" + handle + "`: exactly partner staff name a party");
    }
  }
}
