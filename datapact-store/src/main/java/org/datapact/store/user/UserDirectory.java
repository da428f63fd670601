package org.datapact.store.user;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datapact.core.user.User;
import org.datapact.core.user.UserId;
import org.datapact.store.Database;

/**
 * Users and friend lists for the partner API's hot path, cached in memory (Caffeine, bounded,
 * entries refreshed after ten minutes): the platform's social graph is read on every partner call
 * and changes rarely, while a database round trip costs more than the rest of the call. Users
 * missing from a batch are loaded with one query.
 *
 * <p>Thread-safe.
 */
public final class UserDirectory {
  /** Most users and friend lists held. */
  static final long MAX_ENTRIES = 250_000;

  private final UserRepository users;
  private final LoadingCache<Long, Optional<User>> byId;
  private final LoadingCache<Long, long[]> friends;

  /** Each user's friends as users, ascending by id: a page is a slice of it. */
  private final LoadingCache<Long, List<User>> friendUsers;

  /**
   * @param db the open store
   */
  public UserDirectory(Database db) {
    this.users = new UserRepository(db);
    this.byId =
        Caffeine.newBuilder()
            .maximumSize(MAX_ENTRIES)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build(
                new com.github.benmanes.caffeine.cache.CacheLoader<>() {
                  @Override
                  public Optional<User> load(Long id) {
                    return users.find(UserId.of(id));
                  }

                  @Override
                  public Map<Long, Optional<User>> loadAll(java.util.Set<? extends Long> ids) {
                    Map<Long, Optional<User>> out = new HashMap<>();
                    ids.forEach(id -> out.put(id, Optional.empty()));
                    users
                        .findAll(new ArrayList<>(ids))
                        .forEach(u -> out.put(u.id().value(), Optional.of(u)));
                    return out;
                  }
                });
    this.friends =
        Caffeine.newBuilder()
            .maximumSize(MAX_ENTRIES)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build(id -> users.friendIds(UserId.of(id)));
    this.friendUsers =
        Caffeine.newBuilder()
            .maximumWeight(MAX_ENTRIES * 8)
            .weigher((Long k, List<User> v) -> 1 + v.size())
            .expireAfterWrite(Duration.ofMinutes(10))
            .build(
                id -> {
                  long[] ids = friends.get(id);
                  List<Long> boxed = new ArrayList<>(ids.length);
                  for (long f : ids) {
                    boxed.add(f);
                  }
                  Map<Long, Optional<User>> found = byId.getAll(boxed);
                  List<User> out = new ArrayList<>(ids.length);
                  for (long f : ids) {
                    found.getOrDefault(f, Optional.empty()).ifPresent(out::add);
                  }
                  return List.copyOf(out);
                });
  }

  /**
   * @return the user
   */
  public Optional<User> find(UserId id) {
    return byId.get(id.value());
  }

  /**
   * @param after friends with ids above this (0 for the first page)
   * @return up to {@code limit} friends of {@code id}, ascending by id
   */
  public List<User> friends(UserId id, long after, int limit) {
    List<User> all = friendUsers.get(id.value());
    int lo = 0;
    int hi = all.size();
    while (lo < hi) { // first friend with an id above `after`
      int mid = (lo + hi) >>> 1;
      if (all.get(mid).id().value() <= after) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return all.subList(lo, Math.min(all.size(), lo + limit));
  }

  /**
   * @return whether {@code friend} is on {@code id}'s friend list
   */
  public boolean areFriends(UserId id, UserId friend) {
    return Arrays.binarySearch(friends.get(id.value()), friend.value()) >= 0;
  }
}
