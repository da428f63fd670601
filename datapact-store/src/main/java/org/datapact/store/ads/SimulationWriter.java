package org.datapact.store.ads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.ads.DeliverySimulator;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;

/** Writes one simulation's results on one connection, a transaction per day. */
public final class SimulationWriter implements AutoCloseable {
  private final Connection connection;

  SimulationWriter(Database db) throws DataPactException {
    try {
      connection = db.dataSource().getConnection();
      connection.setAutoCommit(false);
      try (var st = connection.createStatement()) {
        st.executeUpdate("DELETE FROM ad_simulation");
        st.executeUpdate("DELETE FROM ad_delivery");
        st.executeUpdate("DELETE FROM ad_refusal");
      }
      connection.commit();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Stores one simulated day. */
  public void day(List<DeliverySimulator.DayResult> rows, List<DeliverySimulator.Refused> refused)
      throws DataPactException {
    try {
      try (PreparedStatement ps =
          connection.prepareStatement(
              "INSERT INTO ad_delivery (campaign_id, served_on, impressions, clicks, spend_cents)"
                  + " VALUES (?, ?, ?, ?, ?)")) {
        for (DeliverySimulator.DayResult r : rows) {
          ps.setLong(1, r.campaignId());
          ps.setObject(2, r.day());
          ps.setLong(3, r.impressions());
          ps.setLong(4, r.clicks());
          ps.setLong(5, r.spendCents());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps =
          connection.prepareStatement(
              "INSERT INTO ad_refusal (campaign_id, refused_on, reason) VALUES (?, ?, ?)")) {
        for (DeliverySimulator.Refused r : refused) {
          ps.setLong(1, r.campaignId());
          ps.setObject(2, r.day());
          ps.setString(3, r.reason().length() > 1000 ? r.reason().substring(0, 1000) : r.reason());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      connection.commit();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Writes the totals: from now on the results are the stored simulation. */
  public void finish(
      DeliverySimulator.Settings settings,
      LocalDate from,
      LocalDate to,
      DeliverySimulator.Summary summary,
      Instant finishedAt)
      throws DataPactException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO ad_simulation (id, seed, from_day, to_day, impressions_per_day, scale,"
                + " opportunities, impressions, clicks, revenue_cents, finished_at)"
                + " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, settings.seed());
      ps.setObject(2, from);
      ps.setObject(3, to);
      ps.setInt(4, settings.impressionsPerDay());
      ps.setLong(5, settings.scale());
      ps.setLong(6, summary.opportunities());
      ps.setLong(7, summary.impressions());
      ps.setLong(8, summary.clicks());
      ps.setLong(9, summary.revenueCents());
      ps.setObject(10, SqlTime.utc(finishedAt));
      ps.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public void close() throws DataPactException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static DataPactException failure(SQLException e) {
    return new DataPactException(
        ErrorKind.UNAVAILABLE, "cannot store the simulation: " + Database.rootMessage(e), e);
  }
}
