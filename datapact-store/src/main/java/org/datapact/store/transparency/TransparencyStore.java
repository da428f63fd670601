package org.datapact.store.transparency;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.datapact.core.transparency.Epsilon;
import org.datapact.core.transparency.PrivacyBudget;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.jspecify.annotations.Nullable;

/**
 * The transparency report's releases. A release is reserved (its epsilon spent) before its noise is
 * drawn and completed with its published cells once its ledger entry is durable; a reservation
 * whose release failed before any noise left stays spent only if it was not withdrawn.
 */
public final class TransparencyStore {
  private final Database db;

  /**
   * @param db the store
   */
  public TransparencyStore(Database db) {
    this.db = db;
  }

  /**
   * A release.
   *
   * @param cells the published cells as JSON (null until published)
   * @param logSize the number of ledger entries counted (null until counted)
   * @param ledgerIndex the index of its ledger entry (null until durable)
   */
  public record Release(
      String id,
      String period,
      int year,
      Epsilon epsilon,
      int threshold,
      Instant requestedAt,
      String requestedBy,
      @Nullable Long logSize,
      @Nullable Long ledgerIndex,
      @Nullable String cells) {
    /**
     * @return whether its table is published
     */
    public boolean published() {
      return ledgerIndex != null && cells != null;
    }
  }

  private static final String SELECT =
      "SELECT id, period, budget_year, epsilon_num, epsilon_den, threshold, requested_at,"
          + " requested_by, log_size, ledger_index, cells FROM transparency_release";

  private static Release release(ResultSet rs) throws SQLException {
    long logSize = rs.getLong(9);
    Long size = rs.wasNull() ? null : logSize;
    long index = rs.getLong(10);
    Long ledgerIndex = rs.wasNull() ? null : index;
    return new Release(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        new Epsilon(rs.getLong(4), rs.getLong(5)),
        rs.getInt(6),
        SqlTime.required(rs.getObject(7)),
        rs.getString(8),
        size,
        ledgerIndex,
        rs.getString(11));
  }

  /** Spends {@code epsilon} of {@code year}'s budget for a release about to be drawn. */
  public void reserve(
      String id, String period, int year, Epsilon epsilon, int threshold, Instant at, String by) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO transparency_release (id, period, budget_year, epsilon_num,"
                            + " epsilon_den, threshold, requested_at, requested_by)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, id)
                    .bind(1, period)
                    .bind(2, year)
                    .bind(3, epsilon.numerator())
                    .bind(4, epsilon.denominator())
                    .bind(5, threshold)
                    .bind(6, SqlTime.utc(at))
                    .bind(7, by)
                    .execute());
  }

  /** Gives back a reservation whose release failed before any noise was drawn. */
  public void withdraw(String id) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate("DELETE FROM transparency_release WHERE id = ? AND cells IS NULL")
                    .bind(0, id)
                    .execute());
  }

  /** Records the published table of a release and its durable ledger entry. */
  public void published(String id, int threshold, long logSize, long ledgerIndex, String cells) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE transparency_release SET threshold = ?, log_size = ?,"
                            + " ledger_index = ?, cells = ? WHERE id = ?")
                    .bind(0, threshold)
                    .bind(1, logSize)
                    .bind(2, ledgerIndex)
                    .bind(3, cells)
                    .bind(4, id)
                    .execute());
  }

  /**
   * @return every release, newest first
   */
  public List<Release> all() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(SELECT + " ORDER BY requested_at DESC, id")
                    .map((rs, ctx) -> release(rs))
                    .list());
  }

  /**
   * @return the release {@code id}
   */
  public Optional<Release> find(String id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(SELECT + " WHERE id = ?")
                    .bind(0, id)
                    .map((rs, ctx) -> release(rs))
                    .findOne());
  }

  /**
   * @return what every release (reserved or published) spent, for the budget
   */
  public List<PrivacyBudget.Spend> spends() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT budget_year, epsilon_num, epsilon_den FROM transparency_release")
                    .map(
                        (rs, ctx) ->
                            new PrivacyBudget.Spend(
                                rs.getInt(1), new Epsilon(rs.getLong(2), rs.getLong(3))))
                    .list());
  }
}
