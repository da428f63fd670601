package org.datapact.core.party;

import java.util.Objects;

/**
 * A party data can flow to: a partner company or an internal unit.
 *
 * @param id the party's slug
 * @param kind partner, unit or platform
 * @param displayName the human name, e.g. {@code Streamflix}
 * @param description one sentence on what the party does
 */
public record Party(PartyId id, PartyKind kind, String displayName, String description) {
  /** Validates every field. */
  public Party {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(description, "description");
    if (displayName.isBlank()) {
      throw new IllegalArgumentException("party `" + id + "` needs a display name");
    }
  }
}
