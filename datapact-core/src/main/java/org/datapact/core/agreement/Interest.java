package org.datapact.core.agreement;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.datapact.core.party.PartyId;
import org.jspecify.annotations.Nullable;

/**
 * A declared interest of a person in an organisation — the conflict-of-interest register's row: a
 * board seat, an executive role or a shareholding, from {@code since} until {@code until} (open
 * when null), and who declared it when.
 *
 * @param person the console handle of the person (an approver)
 */
public record Interest(
    String person,
    PartyId organisation,
    Kind kind,
    Instant since,
    @Nullable Instant until,
    String declaredBy,
    Instant declaredAt) {

  /** The kinds of interest the register holds. */
  public enum Kind {
    /** A seat on the organisation's board. */
    BOARD_SEAT,
    /** An executive role at the organisation. */
    EXECUTIVE_ROLE,
    /** A shareholding in the organisation. */
    SHAREHOLDING;

    /**
     * @return the wire name, e.g. {@code board_seat}
     */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the known kinds
     */
    public static Kind fromWire(String wire) {
      for (Kind k : values()) {
        if (k.wire().equals(wire)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown kind of interest `"
              + wire
              + "`; known: board_seat, executive_role, shareholding");
    }
  }

  /** Validates. */
  public Interest {
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(organisation, "organisation");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(declaredBy, "declaredBy");
    Objects.requireNonNull(declaredAt, "declaredAt");
    if (person.isBlank()) {
      throw new IllegalArgumentException("an interest names a person");
    }
    if (until != null && !until.isAfter(since)) {
      throw new IllegalArgumentException("`until` " + until + " must be after `since` " + since);
    }
  }

  /**
   * @return whether the interest holds at {@code t}
   */
  public boolean currentAt(Instant t) {
    return !t.isBefore(since) && (until == null || t.isBefore(until));
  }

  /**
   * @return e.g. {@code executive_role at streamflix since 2011-01-01T00:00:00Z}
   */
  public String describe() {
    return kind.wire()
        + " at "
        + organisation.value()
        + " since "
        + since
        + (until == null ? "" : " until " + until)
        + " (declared by "
        + declaredBy
        + ")";
  }
}
