package org.datapact.store.user;

import java.util.List;
import java.util.Optional;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.User;
import org.datapact.core.user.UserId;
import org.datapact.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

/** Reads users and their friend graph. Thread-safe. */
public final class UserRepository {
  private static final RowMapper<User> USER =
      (rs, ctx) ->
          new User(
              UserId.of(rs.getLong("id")),
              rs.getString("handle"),
              rs.getString("display_name"),
              CountryCode.of(rs.getString("country")));

  private final Database db;

  /**
   * @param db the open store
   */
  public UserRepository(Database db) {
    this.db = db;
  }

  /**
   * @return the user with this id
   */
  public Optional<User> find(UserId id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT id, handle, display_name, country FROM app_user WHERE id = ?")
                    .bind(0, id.value())
                    .map(USER)
                    .findOne());
  }

  /**
   * @return the user with this handle
   */
  public Optional<User> findByHandle(String handle) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, handle, display_name, country FROM app_user WHERE handle = ?")
                    .bind(0, handle)
                    .map(USER)
                    .findOne());
  }

  /**
   * @return the friend ids of {@code id}, ascending (empty when none)
   */
  public long[] friendIds(UserId id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT friend_ids FROM friend_list WHERE user_id = ?")
                    .bind(0, id.value())
                    .map((rs, ctx) -> toLongs(rs.getArray(1)))
                    .findOne()
                    .orElse(new long[0]));
  }

  /**
   * @return the users with these ids, in no particular order (missing ids are left out)
   */
  public List<User> findAll(java.util.Collection<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    // an IN list, not `= ANY(array)`: H2 answers ANY over an array parameter with a full table scan
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, handle, display_name, country FROM app_user WHERE id IN (<ids>)")
                    .bindList("ids", List.copyOf(ids))
                    .map(USER)
                    .list());
  }

  /**
   * @return the number of users
   */
  public long count() {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM app_user").mapTo(Long.class).one());
  }

  /**
   * @return the number of friends {@code id} has
   */
  public int friendCount(UserId id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT CARDINALITY(friend_ids) FROM friend_list WHERE user_id = ?")
                    .bind(0, id.value())
                    .mapTo(Integer.class)
                    .findOne()
                    .orElse(0));
  }

  /**
   * @param after return friends with ids greater than this (keyset pagination; 0 for the first
   *     page)
   * @param limit at most this many
   * @return friends of {@code id}, ascending by id
   */
  public List<User> friends(UserId id, long after, int limit) {
    long[] all = friendIds(id);
    int from = java.util.Arrays.binarySearch(all, after + 1);
    from = from >= 0 ? from : -from - 1;
    List<Long> page = java.util.stream.LongStream.of(all).skip(from).limit(limit).boxed().toList();
    List<User> out = new java.util.ArrayList<>(findAll(page));
    out.sort(java.util.Comparator.comparingLong(u -> u.id().value()));
    return out;
  }

  static long[] toLongs(java.sql.Array array) throws java.sql.SQLException {
    Object[] values = (Object[]) array.getArray();
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = ((Number) values[i]).longValue();
    }
    return out;
  }

  /**
   * @return the number of inbox threads {@code id} takes part in
   */
  public int threadCount(UserId id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM thread_participant WHERE user_id = ?")
                    .bind(0, id.value())
                    .mapTo(Integer.class)
                    .one());
  }

  /**
   * @return user counts per country, largest first
   */
  public List<CountryCount> countByCountry() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT country, COUNT(*) AS n FROM app_user GROUP BY country ORDER BY n DESC, country")
                    .map((rs, ctx) -> new CountryCount(rs.getString(1), rs.getLong(2)))
                    .list());
  }

  /**
   * @param country ISO code
   * @param users users in that country
   */
  public record CountryCount(String country, long users) {}
}
