package org.datapact.store.party;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.security.SecretHash;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The partner registry's writes: partners and units registered, their OAuth clients issued, rotated
 * (a new secret hash, the old one ending at once) and retired (authenticating no more). Each change
 * is one transaction with its {@code registry_change} row, which names the ledger entry that
 * recorded it — or none yet, for a change the CLI made with the server stopped, which the server
 * commits at its next start.
 */
public final class Registry {
  private final Database db;

  /**
   * @param db the store
   */
  public Registry(Database db) {
    this.db = db;
  }

  /** A client as the registry shows it: never its secret. */
  public record Client(
      String clientId,
      PartyId party,
      @Nullable Instant issuedAt,
      @Nullable Instant rotatedAt,
      @Nullable Instant retiredAt) {}

  /** A change of the registry. */
  public record Change(
      String action, PartyId party, @Nullable String clientId, String by, Instant at) {}

  /** A change no ledger entry records yet. */
  public record Pending(long id, Change change) {}

  /**
   * Registers a party.
   *
   * @throws DataPactException conflict when the id is taken
   */
  public void register(Party p, String by, Instant at, @Nullable Long ledgerIndex)
      throws DataPactException {
    inTransaction(
        h -> {
          if (h.createQuery("SELECT COUNT(*) FROM party WHERE id = ?")
                  .bind(0, p.id().value())
                  .mapTo(Long.class)
                  .one()
              > 0) {
            throw new DataPactException(
                ErrorKind.CONFLICT, "`id`: a party `" + p.id() + "` is registered already");
          }
          h.createUpdate(
                  "INSERT INTO party (id, kind, display_name, description) VALUES (?, ?, ?, ?)")
              .bind(0, p.id().value())
              .bind(1, p.kind().name().toLowerCase(java.util.Locale.ROOT))
              .bind(2, p.displayName())
              .bind(3, p.description())
              .execute();
          change(h, new Change("party_registered", p.id(), null, by, at), ledgerIndex);
        });
  }

  /**
   * Issues a client to a party.
   *
   * @throws DataPactException conflict when the client id is taken
   */
  public void issue(
      String clientId,
      PartyId party,
      SecretHash hash,
      String by,
      Instant at,
      @Nullable Long ledgerIndex)
      throws DataPactException {
    inTransaction(
        h -> {
          if (h.createQuery("SELECT COUNT(*) FROM client_credential WHERE client_id = ?")
                  .bind(0, clientId)
                  .mapTo(Long.class)
                  .one()
              > 0) {
            throw new DataPactException(
                ErrorKind.CONFLICT, "client `" + clientId + "` exists already");
          }
          h.createUpdate(
                  "INSERT INTO client_credential (client_id, party_id, secret_hash, issued_at)"
                      + " VALUES (?, ?, ?, ?)")
              .bind(0, clientId)
              .bind(1, party.value())
              .bind(2, hash.encoded())
              .bind(3, SqlTime.utc(at))
              .execute();
          change(h, new Change("client_issued", party, clientId, by, at), ledgerIndex);
        });
  }

  /**
   * Replaces a live client's secret: the old one authenticates no more from this commit on.
   *
   * @throws DataPactException not found when the client is unknown or retired
   */
  public void rotate(
      String clientId, SecretHash hash, String by, Instant at, @Nullable Long ledgerIndex)
      throws DataPactException {
    inTransaction(
        h -> {
          PartyId party = live(h, clientId);
          h.createUpdate(
                  "UPDATE client_credential SET secret_hash = ?, rotated_at = ? WHERE client_id = ?")
              .bind(0, hash.encoded())
              .bind(1, SqlTime.utc(at))
              .bind(2, clientId)
              .execute();
          change(h, new Change("client_rotated", party, clientId, by, at), ledgerIndex);
        });
  }

  /**
   * Retires a live client: it authenticates no more.
   *
   * @throws DataPactException not found when the client is unknown or retired already
   */
  public void retire(String clientId, String by, Instant at, @Nullable Long ledgerIndex)
      throws DataPactException {
    inTransaction(
        h -> {
          PartyId party = live(h, clientId);
          h.createUpdate("UPDATE client_credential SET retired_at = ? WHERE client_id = ?")
              .bind(0, SqlTime.utc(at))
              .bind(1, clientId)
              .execute();
          change(h, new Change("client_retired", party, clientId, by, at), ledgerIndex);
        });
  }

  /**
   * @return the party a live client acts for
   * @throws DataPactException not found when the client is unknown or retired
   */
  public PartyId partyOfLiveClient(String clientId) throws DataPactException {
    return db.jdbi().withHandle(h -> live(h, clientId));
  }

  /**
   * @return every client of {@code party}, retired ones included, by client id
   */
  public List<Client> clients(PartyId party) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT client_id, party_id, issued_at, rotated_at, retired_at"
                            + " FROM client_credential WHERE party_id = ? ORDER BY client_id")
                    .bind(0, party.value())
                    .map(
                        (rs, ctx) ->
                            new Client(
                                rs.getString(1),
                                PartyId.of(rs.getString(2)),
                                SqlTime.instant(rs.getObject(3)),
                                SqlTime.instant(rs.getObject(4)),
                                SqlTime.instant(rs.getObject(5))))
                    .list());
  }

  /**
   * @return the changes no ledger entry records yet, in order
   */
  public List<Pending> changesNotInLedger() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, action, party_id, client_id, changed_by, changed_at"
                            + " FROM registry_change WHERE ledger_index IS NULL ORDER BY id")
                    .map(
                        (rs, ctx) ->
                            new Pending(
                                rs.getLong(1),
                                new Change(
                                    rs.getString(2),
                                    PartyId.of(rs.getString(3)),
                                    rs.getString(4),
                                    rs.getString(5),
                                    SqlTime.required(rs.getObject(6)))))
                    .list());
  }

  /** Records the ledger entry of a pending change. */
  public void changeCommitted(long id, long ledgerIndex) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate("UPDATE registry_change SET ledger_index = ? WHERE id = ?")
                    .bind(0, ledgerIndex)
                    .bind(1, id)
                    .execute());
  }

  private static PartyId live(Handle h, String clientId) throws DataPactException {
    Optional<String> party =
        h.createQuery(
                "SELECT party_id FROM client_credential WHERE client_id = ? AND retired_at IS NULL")
            .bind(0, clientId)
            .mapTo(String.class)
            .findOne();
    if (party.isEmpty()) {
      throw new DataPactException(
          ErrorKind.NOT_FOUND, "no live client `" + clientId + "` (unknown or retired)");
    }
    return PartyId.of(party.get());
  }

  private static void change(Handle h, Change c, @Nullable Long ledgerIndex) {
    h.createUpdate(
            "INSERT INTO registry_change (action, party_id, client_id, changed_by, changed_at,"
                + " ledger_index) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(0, c.action())
        .bind(1, c.party().value())
        .bind(2, c.clientId())
        .bind(3, c.by())
        .bind(4, SqlTime.utc(c.at()))
        .bind(5, ledgerIndex)
        .execute();
  }

  /** A unit of work that may refuse. */
  @FunctionalInterface
  private interface Work {
    void run(Handle h) throws DataPactException;
  }

  private void inTransaction(Work work) throws DataPactException {
    try {
      db.jdbi()
          .useTransaction(
              h -> {
                try {
                  work.run(h);
                } catch (DataPactException e) {
                  throw new Refused(e);
                }
              });
    } catch (Refused r) {
      throw r.cause;
    }
  }

  /** Carries a refusal out of Jdbi's callback, rolling the transaction back. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient DataPactException cause;

    Refused(DataPactException cause) {
      super(cause.getMessage(), null, false, false);
      this.cause = cause;
    }
  }
}
