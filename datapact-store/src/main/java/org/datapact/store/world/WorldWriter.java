package org.datapact.store.world;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.ads.Campaign;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.party.ClientCredential;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.user.User;
import org.datapact.core.world.Advertiser;
import org.datapact.core.world.ConsoleAccount;
import org.datapact.core.world.FriendList;
import org.datapact.core.world.InboxThread;
import org.datapact.core.world.Message;
import org.datapact.core.world.UserAttributes;
import org.datapact.core.world.ViewingSignal;
import org.datapact.core.world.WorldSink;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.jspecify.annotations.Nullable;

/**
 * Writes a generated world into the store with JDBC batch inserts on one connection, one
 * transaction per batch. The world only counts as present once {@link WorldStore#markComplete} has
 * written its {@code world_meta} row, so an interrupted load is cleared and redone on the next
 * start rather than half-used.
 *
 * <p>Not thread-safe: one generator writes through one writer. Close it to release the connection.
 */
final class WorldWriter implements WorldSink, AutoCloseable {
  private final Connection connection;
  private final Database db;
  private final org.datapact.store.policy.PolicyStore policies;
  private final org.datapact.core.world.@Nullable GeneratedPolicy policy;

  /**
   * @param policy told the parties, users and consent history once each batch is stored; null for
   *     none
   */
  WorldWriter(Database db, org.datapact.core.world.@Nullable GeneratedPolicy policy)
      throws DataPactException {
    this.db = db;
    this.policy = policy;
    this.policies = new org.datapact.store.policy.PolicyStore(db);
    try {
      connection = db.dataSource().getConnection();
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static DataPactException failure(SQLException e) {
    return new DataPactException(
        ErrorKind.UNAVAILABLE, "cannot write the world: " + Database.rootMessage(e), e);
  }

  @FunctionalInterface
  private interface Binder<T> {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }

  private <T> void insert(String sql, List<T> rows, Binder<T> binder) throws DataPactException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (T row : rows) {
        binder.bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
      connection.commit();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static void setParty(PreparedStatement ps, int index, @Nullable PartyId party)
      throws SQLException {
    if (party == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, party.value());
    }
  }

  @Override
  public void parties(List<Party> parties) throws DataPactException {
    insert(
        "INSERT INTO party (id, kind, display_name, description) VALUES (?, ?, ?, ?)",
        parties,
        (ps, p) -> {
          ps.setString(1, p.id().value());
          ps.setString(2, p.kind().wireName());
          ps.setString(3, p.displayName());
          ps.setString(4, p.description());
        });
    if (policy != null) {
      policy.parties(parties);
    }
  }

  @Override
  public void clients(List<ClientCredential> clients) throws DataPactException {
    insert(
        "INSERT INTO client_credential (client_id, party_id, secret_hash) VALUES (?, ?, ?)",
        clients,
        (ps, c) -> {
          ps.setString(1, c.clientId());
          ps.setString(2, c.party().value());
          ps.setString(3, c.secretHash().encoded());
        });
  }

  @Override
  public void consoleAccounts(List<ConsoleAccount> accounts) throws DataPactException {
    insert(
        "INSERT INTO console_account (handle, display_name, role, party_id) VALUES (?, ?, ?, ?)",
        accounts,
        (ps, a) -> {
          ps.setString(1, a.handle());
          ps.setString(2, a.displayName());
          ps.setString(3, a.role().wireName());
          setParty(ps, 4, a.party());
        });
  }

  @Override
  public void users(List<User> batch) throws DataPactException {
    insert(
        "INSERT INTO app_user (id, handle, display_name, country) VALUES (?, ?, ?, ?)",
        batch,
        (ps, u) -> {
          ps.setLong(1, u.id().value());
          ps.setString(2, u.handle());
          ps.setString(3, u.displayName());
          ps.setString(4, u.country().value());
        });
    if (policy != null) {
      policy.users(batch);
    }
  }

  @Override
  public void friendLists(List<FriendList> batch) throws DataPactException {
    insert(
        "INSERT INTO friend_list (user_id, friend_ids) VALUES (?, ?)",
        batch,
        (ps, f) -> {
          ps.setLong(1, f.userId());
          long[] ids = f.friendIds();
          Long[] boxed = new Long[ids.length];
          for (int i = 0; i < ids.length; i++) {
            boxed[i] = ids[i];
          }
          ps.setArray(2, ps.getConnection().createArrayOf("BIGINT", boxed));
        });
  }

  @Override
  public void threads(List<InboxThread> batch) throws DataPactException {
    insert(
        "INSERT INTO inbox_thread (id, subject, via_party, created_at) VALUES (?, ?, ?, ?)",
        batch,
        (ps, t) -> {
          ps.setLong(1, t.id());
          ps.setString(2, t.subject());
          setParty(ps, 3, t.viaParty());
          ps.setObject(4, SqlTime.utc(t.createdAt()));
        });
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO thread_participant (thread_id, user_id) VALUES (?, ?)")) {
      for (InboxThread t : batch) {
        for (long p : t.participants()) {
          ps.setLong(1, t.id());
          ps.setLong(2, p);
          ps.addBatch();
        }
      }
      ps.executeBatch();
      connection.commit();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public void messages(List<Message> batch) throws DataPactException {
    insert(
        "INSERT INTO message (id, thread_id, sender_id, sent_at, body, via_party) VALUES (?, ?, ?, ?, ?, ?)",
        batch,
        (ps, m) -> {
          ps.setLong(1, m.id());
          ps.setLong(2, m.threadId());
          ps.setLong(3, m.senderId());
          ps.setObject(4, SqlTime.utc(m.sentAt()));
          ps.setString(5, m.body());
          setParty(ps, 6, m.viaParty());
        });
  }

  @Override
  public void agreements(List<AgreementRecord> records) throws DataPactException {
    policies.insertAgreements(records);
  }

  @Override
  public void consents(List<ConsentChange> batch) throws DataPactException {
    insert(
        "INSERT INTO consent_event (user_id, party_id, topic, granted, changed_at, expires_at, basis, source)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        batch,
        (ps, c) -> {
          ps.setLong(1, c.user().value());
          ps.setString(2, c.party().value());
          ps.setString(3, c.topic().wire());
          ps.setBoolean(4, c.granted());
          ps.setObject(5, SqlTime.utc(c.at()));
          ps.setObject(6, c.expiresAt() == null ? null : SqlTime.utc(c.expiresAt()));
          ps.setString(7, c.basis().wire());
          ps.setString(8, c.source());
        });
    if (policy != null) {
      policy.consents(batch);
    }
  }

  @Override
  public void attributes(List<UserAttributes> batch) throws DataPactException {
    insert(
        "INSERT INTO user_attribute (user_id, age_band, interests) VALUES (?, ?, ?)",
        batch,
        (ps, a) -> {
          ps.setLong(1, a.userId());
          ps.setString(2, a.ageBand().wire());
          ps.setInt(3, a.interests());
        });
  }

  @Override
  public void signals(List<ViewingSignal> batch) throws DataPactException {
    insert(
        "INSERT INTO partner_signal (partner_id, user_id, category, jurisdiction, payload,"
            + " observed_at, ledger_index) VALUES (?, ?, ?, ?, ?, ?, NULL)",
        batch,
        (ps, v) -> {
          ps.setString(1, v.partner().value());
          ps.setLong(2, v.userId());
          ps.setString(3, DataCategory.VIDEO_VIEWING.wire());
          ps.setString(4, v.ruleSet().value());
          ps.setString(5, "{\"genre\":\"" + v.genre().wire() + "\"}");
          ps.setObject(6, SqlTime.utc(v.observedAt()));
        });
  }

  @Override
  public void advertisers(List<Advertiser> advertisers) throws DataPactException {
    insert(
        "INSERT INTO advertiser (id, name, party_id) VALUES (?, ?, ?)",
        advertisers,
        (ps, a) -> {
          ps.setString(1, a.id().value());
          ps.setString(2, a.name());
          setParty(ps, 3, a.party());
        });
  }

  @Override
  public void campaigns(List<Campaign> campaigns) throws DataPactException {
    insert(
        "INSERT INTO ad_campaign (id, advertiser_id, name, segment_id, definition, budget_cents,"
            + " bid_kind, bid_cents, starts, ends, created_at, ledger_index)"
            + " VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, NULL)",
        campaigns,
        (ps, c) -> {
          ps.setLong(1, c.id());
          ps.setString(2, c.advertiser().value());
          ps.setString(3, c.name());
          ps.setString(4, c.segment().canonical());
          ps.setLong(5, c.budgetCents());
          ps.setString(6, c.bidKind().wire());
          ps.setLong(7, c.bidCents());
          ps.setObject(8, c.starts());
          ps.setObject(9, c.ends());
          ps.setObject(
              10, SqlTime.utc(c.starts().atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
        });
  }

  @Override
  public void interests(List<org.datapact.core.agreement.Interest> interests) {
    org.datapact.store.policy.GovernanceStore g = new org.datapact.store.policy.GovernanceStore(db);
    interests.forEach(i -> g.insertInterest(i, null));
  }

  @Override
  public void approvals(List<org.datapact.core.agreement.ApprovalRecord> approvals) {
    org.datapact.store.policy.GovernanceStore g = new org.datapact.store.policy.GovernanceStore(db);
    for (org.datapact.core.agreement.ApprovalRecord a : approvals) {
      g.insertApproval(
          new org.datapact.store.policy.GovernanceStore.Approval(
              a.agreementId(),
              a.version(),
              a.approver(),
              a.at(),
              a.recused() ? "recused" : "approved",
              a.reason(),
              null));
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
}
