package org.datapact.server.http;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.server.session.Caller;
import org.datapact.server.session.SessionTokens;

/**
 * The one place that decides whether a caller may reach a route: runs before every matched
 * route, establishes the caller from the session cookie, and compares its role with the route's
 * roles. A route with no roles is refused (it cannot happen: {@link Route} requires roles).
 */
public final class AccessControl {
  /** The session cookie's name. */
  public static final String SESSION_COOKIE = "dp_session";
  private static final String CALLER_ATTRIBUTE = "datapact.caller";

  private final SessionTokens sessions;

  /** @param sessions verifies session tokens */
  public AccessControl(SessionTokens sessions) {
    this.sessions = sessions;
  }

  /** Checks the caller against the matched route's roles. */
  public void check(Context ctx) throws DataPactException {
    Set<?> roles = ctx.routeRoles();
    if (roles.isEmpty()) {
      return; // static files and unmatched paths: nothing to protect here
    }
    String token = ctx.cookie(SESSION_COOKIE);
    Caller caller = null;
    if (token != null && !token.isEmpty()) {
      try {
        caller = sessions.verify(token);
      } catch (DataPactException e) {
        if (!roles.contains(Role.PUBLIC)) {
          throw e;
        }
      }
    }
    if (caller != null) {
      ctx.attribute(CALLER_ATTRIBUTE, caller);
    }
    if (roles.contains(Role.PUBLIC)) {
      return;
    }
    if (caller == null) {
      throw new DataPactException(ErrorKind.UNAUTHENTICATED, "sign in to use `" + ctx.path() + "`");
    }
    if (!roles.contains(caller.role())) {
      throw new DataPactException(ErrorKind.FORBIDDEN,
          "the " + caller.role().wireName() + " role may not use `" + ctx.path() + "`");
    }
  }

  /** @return the verified caller of this request, if any */
  public static Optional<Caller> caller(Context ctx) {
    return Optional.ofNullable(ctx.attribute(CALLER_ATTRIBUTE));
  }

  /**
   * @return the verified caller of a route that requires one
   * @throws DataPactException unauthenticated if there is none
   */
  public static Caller requireCaller(Context ctx) throws DataPactException {
    return caller(ctx).orElseThrow(() ->
        new DataPactException(ErrorKind.UNAUTHENTICATED, "sign in to use `" + ctx.path() + "`"));
  }
}
