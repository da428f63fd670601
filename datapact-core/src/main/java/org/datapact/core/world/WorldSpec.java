package org.datapact.core.world;

/**
 * What to generate: the seed that makes the world reproducible and how many users it has.
 *
 * @param seed any long; the same seed and size always give the same world
 * @param users number of users, from {@value #MIN_USERS} to {@value #MAX_USERS}
 */
public record WorldSpec(long seed, int users) {
  /** The fewest users a world can have: the cast plus enough strangers to form a graph. */
  public static final int MIN_USERS = 100;

  /** The most users the generator supports in one world. */
  public static final int MAX_USERS = 50_000_000;

  /** Validates the size. */
  public WorldSpec {
    if (users < MIN_USERS || users > MAX_USERS) {
      throw new IllegalArgumentException(
          "users must be between " + MIN_USERS + " and " + MAX_USERS + ", got `" + users + "`");
    }
  }
}
