package org.datapact.core.world;

/**
 * A user's friends.
 *
 * @param userId the user
 * @param friendIds the user's friends, ascending, no duplicates
 */
public record FriendList(long userId, long[] friendIds) {
  /** Copies the array. */
  public FriendList {
    friendIds = friendIds.clone();
  }

  /**
   * @return a copy of the friend ids
   */
  @Override
  public long[] friendIds() {
    return friendIds.clone();
  }

  /**
   * @return the number of friends
   */
  public int size() {
    return friendIds.length;
  }
}
