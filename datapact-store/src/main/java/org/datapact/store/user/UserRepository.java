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
  private static final RowMapper<User> USER = (rs, ctx) -> new User(
      UserId.of(rs.getLong("id")), rs.getString("handle"), rs.getString("display_name"),
      CountryCode.of(rs.getString("country")));

  private final Database db;

  /** @param db the open store */
  public UserRepository(Database db) {
    this.db = db;
  }

  /** @return the user with this id */
  public Optional<User> find(UserId id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, handle, display_name, country FROM app_user WHERE id = ?")
        .bind(0, id.value()).map(USER).findOne());
  }

  /** @return the user with this handle */
  public Optional<User> findByHandle(String handle) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "SELECT id, handle, display_name, country FROM app_user WHERE handle = ?")
        .bind(0, handle).map(USER).findOne());
  }

  /** @return the number of users */
  public long count() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM app_user").mapTo(Long.class).one());
  }

  /** @return the number of friends {@code id} has */
  public int friendCount(UserId id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM friendship WHERE user_id = ?")
        .bind(0, id.value()).mapTo(Integer.class).one());
  }

  /**
   * @param after return friends with ids greater than this (keyset pagination; 0 for the first page)
   * @param limit at most this many
   * @return friends of {@code id}, ascending by id
   */
  public List<User> friends(UserId id, long after, int limit) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "SELECT u.id, u.handle, u.display_name, u.country FROM friendship f JOIN app_user u ON u.id = f.friend_id"
                + " WHERE f.user_id = ? AND f.friend_id > ? ORDER BY f.friend_id LIMIT ?")
        .bind(0, id.value()).bind(1, after).bind(2, limit).map(USER).list());
  }

  /** @return the number of inbox threads {@code id} takes part in */
  public int threadCount(UserId id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM thread_participant WHERE user_id = ?")
        .bind(0, id.value()).mapTo(Integer.class).one());
  }

  /** @return user counts per country, largest first */
  public List<CountryCount> countByCountry() {
    return db.jdbi().withHandle(h -> h.createQuery(
            "SELECT country, COUNT(*) AS n FROM app_user GROUP BY country ORDER BY n DESC, country")
        .map((rs, ctx) -> new CountryCount(rs.getString(1), rs.getLong(2))).list());
  }

  /**
   * @param country ISO code
   * @param users users in that country
   */
  public record CountryCount(String country, long users) {}
}
