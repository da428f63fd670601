package org.datapact.core.agreement;

import java.util.Objects;
import java.util.Set;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;

/**
 * An ODRL prohibition on data carrying given labels. It binds every party that handles such data,
 * the platform and its units included: e.g. "data labelled {@code streamflix} may not be used for
 * {@code ad_targeting} except for {@code streamflix}'s own campaigns", or "data labelled {@code
 * streamflix} may not be used by unit {@code watch}". A matching prohibition overrides every
 * permission.
 *
 * @param id unique within the agreement version
 * @param labelSources the prohibition applies to data labelled with any of these sources; never
 *     empty
 * @param consumers who may not use it; empty means everyone
 * @param purposes for what; empty means every purpose
 * @param exceptOnBehalfOf requests on behalf of these parties (e.g. their own campaigns) are exempt
 */
public record Prohibition(
    String id,
    Set<PartyId> labelSources,
    Set<PartyId> consumers,
    Set<Purpose> purposes,
    Set<PartyId> exceptOnBehalfOf) {
  /** Validates and copies. */
  public Prohibition {
    Objects.requireNonNull(id, "id");
    labelSources = Set.copyOf(labelSources);
    consumers = Set.copyOf(consumers);
    purposes = Set.copyOf(purposes);
    exceptOnBehalfOf = Set.copyOf(exceptOnBehalfOf);
    if (labelSources.isEmpty()) {
      throw new IllegalArgumentException("prohibition `" + id + "` names no label source");
    }
  }
}
