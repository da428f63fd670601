package org.datapact.core.world;

/**
 * A batch of directed friendship rows {@code (user, friend)}, kept in primitive arrays because a
 * large world has tens of millions of them. Every friendship appears in both directions.
 *
 * <p>Not thread-safe; a sink MUST consume the batch before {@link WorldSink#friendships} returns,
 * since the generator reuses the arrays.
 */
public final class FriendshipBatch {
  private final long[] users;
  private final long[] friends;
  private int size;

  FriendshipBatch(int capacity) {
    users = new long[capacity];
    friends = new long[capacity];
  }

  boolean add(long user, long friend) {
    users[size] = user;
    friends[size] = friend;
    size++;
    return size == users.length;
  }

  void clear() {
    size = 0;
  }

  /** @return the number of rows in the batch */
  public int size() {
    return size;
  }

  /** @return the user of row {@code i} */
  public long user(int i) {
    return users[i];
  }

  /** @return the friend of row {@code i} */
  public long friend(int i) {
    return friends[i];
  }
}
