package org.datapact.core.party;

import java.util.Objects;
import org.datapact.core.security.SecretHash;

/**
 * An OAuth2 client registered for a party. Only the hash of the secret is ever kept.
 *
 * @param clientId the public client identifier
 * @param party the party the client acts for
 * @param secretHash the KDF hash of the client secret
 */
public record ClientCredential(String clientId, PartyId party, SecretHash secretHash) {
  /** Validates every field. */
  public ClientCredential {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(secretHash, "secretHash");
    if (!clientId.matches("[a-z0-9][a-z0-9._-]{2,63}")) {
      throw new IllegalArgumentException("client id `" + clientId + "` is not a valid client id");
    }
  }
}
