package org.datapact.core.world;

import java.time.Instant;
import org.datapact.core.ads.Genre;
import org.datapact.core.jurisdiction.RuleSetId;
import org.datapact.core.party.PartyId;

/**
 * A partner's signal that a user watched a genre, as the demo world's history holds it (the partner
 * pushed it through the activity API under its ad-targeting permission).
 *
 * @param ruleSet the rule set of the user's country: the signal's label
 */
public record ViewingSignal(
    PartyId partner, long userId, Genre genre, RuleSetId ruleSet, Instant observedAt) {}
