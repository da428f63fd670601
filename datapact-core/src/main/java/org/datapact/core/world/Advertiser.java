package org.datapact.core.world;

import org.datapact.core.party.PartyId;
import org.jspecify.annotations.Nullable;

/**
 * An advertiser account: a brand, or a partner that also advertises on the platform.
 *
 * @param id the advertiser id, the party a campaign's targeting is on behalf of
 * @param party the partner this account belongs to, or null for a brand that is no partner
 */
public record Advertiser(PartyId id, String name, @Nullable PartyId party) {}
