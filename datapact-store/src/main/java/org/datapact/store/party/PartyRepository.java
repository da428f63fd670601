package org.datapact.store.party;

import java.util.List;
import java.util.Optional;
import org.datapact.core.party.ClientCredential;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.security.SecretHash;
import org.datapact.core.world.ConsoleAccount;
import org.datapact.core.world.ConsoleRole;
import org.datapact.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

/** Reads parties, their OAuth2 clients and console accounts. Thread-safe. */
public final class PartyRepository {
  private static final RowMapper<Party> PARTY =
      (rs, ctx) ->
          new Party(
              PartyId.of(rs.getString("id")),
                  PartyKind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
              rs.getString("display_name"), rs.getString("description"));
  private static final RowMapper<ConsoleAccount> ACCOUNT =
      (rs, ctx) -> {
        String party = rs.getString("party_id");
        return new ConsoleAccount(
            rs.getString("handle"),
            rs.getString("display_name"),
            ConsoleRole.valueOf(rs.getString("role").toUpperCase(java.util.Locale.ROOT)),
            party == null ? null : PartyId.of(party));
      };

  private final Database db;

  /**
   * @param db the open store
   */
  public PartyRepository(Database db) {
    this.db = db;
  }

  /**
   * @return every party, by id
   */
  public List<Party> all() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT id, kind, display_name, description FROM party ORDER BY id")
                    .map(PARTY)
                    .list());
  }

  /**
   * @return the party with this id
   */
  public Optional<Party> find(PartyId id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT id, kind, display_name, description FROM party WHERE id = ?")
                    .bind(0, id.value())
                    .map(PARTY)
                    .findOne());
  }

  /**
   * @return the live client with this id, secret hash included; a retired client is not found
   */
  public Optional<ClientCredential> client(String clientId) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT client_id, party_id, secret_hash FROM client_credential"
                            + " WHERE client_id = ? AND retired_at IS NULL")
                    .bind(0, clientId)
                    .map(
                        (rs, ctx) ->
                            new ClientCredential(
                                rs.getString(1),
                                PartyId.of(rs.getString(2)),
                                new SecretHash(rs.getString(3))))
                    .findOne());
  }

  /**
   * @return where the live client may send a user back with an authorization code, empty when the
   *     client is unknown or retired
   */
  public List<String> redirectUris(String clientId) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT redirect_uris FROM client_credential"
                            + " WHERE client_id = ? AND retired_at IS NULL")
                    .bind(0, clientId)
                    .mapTo(String.class)
                    .findOne()
                    .map(v -> List.of(v.trim().split("\\s+")))
                    .orElse(List.of()));
  }

  /**
   * @return the client ids of a party
   */
  public List<String> clientIds(PartyId party) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT client_id FROM client_credential WHERE party_id = ? ORDER BY client_id")
                    .bind(0, party.value())
                    .mapTo(String.class)
                    .list());
  }

  /**
   * @return the console account with this handle
   */
  public Optional<ConsoleAccount> consoleAccount(String handle) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT handle, display_name, role, party_id FROM console_account WHERE handle = ?")
                    .bind(0, handle)
                    .map(ACCOUNT)
                    .findOne());
  }
}
