package org.datapact.core.world;

import org.datapact.core.ads.AgeBand;

/**
 * What the platform holds about a user for ad targeting, beyond their country.
 *
 * @param interests a mask of {@link org.datapact.core.ads.Interest#bit()}s
 */
public record UserAttributes(long userId, AgeBand ageBand, int interests) {}
