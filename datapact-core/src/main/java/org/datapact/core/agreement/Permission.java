package org.datapact.core.agreement;

import java.util.Objects;
import java.util.Set;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;

/**
 * An ODRL permission: {@code assignee} may exercise {@code scope} for any of {@code purposes},
 * under {@code constraints}.
 *
 * @param id unique within the agreement version
 * @param assignee the party granted the permission (a partner, or an internal unit)
 * @param scope the scope (and with it the ODRL action)
 * @param purposes the purposes it covers; never empty
 * @param constraints the conditions
 */
public record Permission(
    String id, PartyId assignee, Scope scope, Set<Purpose> purposes, Constraints constraints) {
  /** Validates and copies. */
  public Permission {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(assignee, "assignee");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(constraints, "constraints");
    purposes = Set.copyOf(purposes);
    if (purposes.isEmpty()) {
      throw new IllegalArgumentException("permission `" + id + "` names no purpose");
    }
  }
}
