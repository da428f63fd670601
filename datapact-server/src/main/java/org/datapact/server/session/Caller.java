package org.datapact.server.session;

import java.util.Objects;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.UserId;
import org.datapact.server.http.Role;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling, as established by a verified session token.
 *
 * @param handle the login handle
 * @param displayName the caller's name
 * @param role the caller's role
 * @param userId for {@link Role#USER}, the user's id; null otherwise
 * @param party for {@link Role#PARTNER} and {@link Role#PARTNER_APP} the partner, for {@link
 *     Role#UNIT} the unit; null otherwise
 * @param scopes for an API client, the scopes its access token carries (OAuth2 {@code scope});
 *     empty otherwise
 */
public record Caller(
    String handle,
    String displayName,
    Role role,
    @Nullable UserId userId,
    @Nullable PartyId party,
    java.util.Set<String> scopes) {
  /** A caller without token scopes (console sessions). */
  public Caller(
      String handle,
      String displayName,
      Role role,
      @Nullable UserId userId,
      @Nullable PartyId party) {
    this(handle, displayName, role, userId, party, java.util.Set.of());
  }

  /** Validates that users carry a user id and partner staff a party. */
  public Caller {
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(role, "role");
    scopes = java.util.Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
    // a partner app may carry one too: the user a token from the authorization dialog is bound to
    if ((role == Role.USER && userId == null)
        || (userId != null && role != Role.USER && role != Role.PARTNER_APP)) {
      throw new IllegalArgumentException(
          "caller `" + handle + "`: users carry a user id, and only they and partner apps do");
    }
    boolean needsParty = role == Role.PARTNER || role == Role.UNIT || role == Role.PARTNER_APP;
    if (needsParty != (party != null)) {
      throw new IllegalArgumentException(
          "caller `" + handle + "`: exactly partner staff, units and partner apps carry a party");
    }
    if (role == Role.PUBLIC) {
      throw new IllegalArgumentException("caller `" + handle + "` cannot have the public role");
    }
  }

  /**
   * @return the partner a partner's staff or app acts for, whose rows alone it may read; null for
   *     operators and the regulator, who read every partner's
   * @throws org.datapact.core.DataPactException forbidden for partner staff without a party
   */
  public @Nullable PartyId partnerOrNull() throws org.datapact.core.DataPactException {
    return role == Role.PARTNER || role == Role.PARTNER_APP ? requireParty() : null;
  }

  /**
   * @return who acts, as status changes, approvals and filings record it, e.g. {@code
   *     operator:olga}
   */
  public String actor() {
    return role.wireName() + ":" + handle;
  }

  /**
   * @return the user a {@link Role#USER} caller is
   * @throws DataPactException forbidden for any other caller
   */
  public UserId requireUser() throws DataPactException {
    if (role != Role.USER || userId == null) {
      throw new DataPactException(ErrorKind.FORBIDDEN, "only a signed-in user has this view");
    }
    return userId;
  }

  /**
   * @return the user a partner app's token is bound to (granted through the authorization dialog),
   *     or null for a token of the app itself
   */
  public @Nullable UserId boundUser() {
    return role == Role.PARTNER_APP ? userId : null;
  }

  /**
   * @return the party of partner staff, a partner app or a unit
   * @throws DataPactException forbidden for any other caller
   */
  public PartyId requireParty() throws DataPactException {
    if (party == null) {
      throw new DataPactException(
          ErrorKind.FORBIDDEN, "only partner staff, partner apps and units act for a party");
    }
    return party;
  }
}
