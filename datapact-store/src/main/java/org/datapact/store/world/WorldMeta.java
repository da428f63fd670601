package org.datapact.store.world;

import java.time.Instant;

/**
 * The record of which world the store holds.
 *
 * @param seed the seed it was generated from
 * @param userCount its number of users
 * @param generatorVersion the generator version
 * @param generatedAt when the load completed
 */
public record WorldMeta(long seed, int userCount, int generatorVersion, Instant generatedAt) {}
