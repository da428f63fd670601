package org.datapact.core.label;

import java.util.Objects;
import org.datapact.core.jurisdiction.RuleSetId;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;

/**
 * Provenance carried by a datum: who it came from, what it is about, and whose law applies to its
 * subject.
 *
 * @param source the party the data came from ({@code platform} for first-party data)
 * @param category what the data is about
 * @param jurisdiction the rule set of the data subject's jurisdiction, e.g. {@code EU} for a German
 *     user (a rule set, never a country)
 */
public record Label(PartyId source, DataCategory category, RuleSetId jurisdiction) {
  /** Validates. */
  public Label {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(jurisdiction, "jurisdiction");
  }
}
