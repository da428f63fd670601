package org.datapact.core.world;

import java.util.List;
import java.util.Objects;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.security.Secret;
import org.jspecify.annotations.Nullable;

/**
 * The named people and clients of a demo world, with what each one demonstrates. Written to {@code
 * data/demo/cast.json} so that a person trying the demo knows whom to log in as.
 *
 * @param seed the world's seed
 * @param userCount the world's number of users
 * @param generatorVersion the generator version that made the world
 * @param users cast users (data subjects)
 * @param staff cast console accounts (operators, regulators, partner staff)
 * @param clients OAuth2 clients of partners and units, with their demo secrets
 */
public record Cast(
    long seed,
    int userCount,
    int generatorVersion,
    List<User> users,
    List<Staff> staff,
    List<Client> clients) {

  /** Copies the lists. */
  public Cast {
    users = List.copyOf(users);
    staff = List.copyOf(staff);
    clients = List.copyOf(clients);
  }

  /**
   * A cast user.
   *
   * @param handle login handle, e.g. {@code alice}
   * @param userId internal user id
   * @param displayName name
   * @param country ISO country code
   * @param demonstrates what this person shows in the demo
   */
  public record User(
      String handle, long userId, String displayName, String country, String demonstrates) {
    /** Validates non-null fields. */
    public User {
      Objects.requireNonNull(handle, "handle");
      Objects.requireNonNull(demonstrates, "demonstrates");
    }
  }

  /**
   * A cast console account.
   *
   * @param handle login handle
   * @param displayName name
   * @param role console role
   * @param party the partner for partner staff, null otherwise
   * @param demonstrates what this person shows in the demo
   */
  public record Staff(
      String handle,
      String displayName,
      ConsoleRole role,
      @Nullable PartyId party,
      String demonstrates) {
    /** Validates non-null fields. */
    public Staff {
      Objects.requireNonNull(handle, "handle");
      Objects.requireNonNull(role, "role");
    }
  }

  /**
   * An OAuth2 client with its demo secret. The secret is shown once, in the cast file.
   *
   * @param party the party the client acts for
   * @param kind partner or unit
   * @param clientId client id
   * @param clientSecret the secret; only its hash is stored
   */
  public record Client(PartyId party, PartyKind kind, String clientId, Secret clientSecret) {
    /** Validates non-null fields. */
    public Client {
      Objects.requireNonNull(party, "party");
      Objects.requireNonNull(clientSecret, "clientSecret");
    }
  }
}
