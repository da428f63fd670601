package org.datapact.server.http;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.server.session.Caller;
import org.datapact.server.session.SessionTokens;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides whether a caller may reach a route: runs before every matched route,
 * establishes the caller from a bearer access token (API clients) or the session cookie (console),
 * and compares its role with the route's roles. A route with no roles is refused (it cannot happen:
 * {@link Route} requires roles).
 */
public final class AccessControl {
  /** The session cookie's name. */
  public static final String SESSION_COOKIE = "dp_session";

  private static final String CALLER_ATTRIBUTE = "datapact.caller";

  /** The {@code WWW-Authenticate} challenge sent with a refused bearer token. */
  public static final String CHALLENGE = "Bearer realm=\"datapact\"";

  private final SessionTokens sessions;
  private final org.datapact.server.oauth.AccessTokens accessTokens;

  /**
   * @param sessions verifies console session cookies
   * @param accessTokens verifies API clients' bearer tokens
   */
  public AccessControl(
      SessionTokens sessions, org.datapact.server.oauth.AccessTokens accessTokens) {
    this.sessions = sessions;
    this.accessTokens = accessTokens;
  }

  /** Checks the caller against the matched route's roles. */
  public void check(Context ctx) throws DataPactException {
    Set<?> roles = ctx.routeRoles();
    if (roles.isEmpty()) {
      return; // static files and unmatched paths: nothing to protect here
    }
    Caller caller =
        check(
            roles,
            ctx.header("Authorization"),
            () -> ctx.cookie(SESSION_COOKIE),
            ctx.path(),
            () -> ctx.header("WWW-Authenticate", CHALLENGE));
    if (caller != null) {
      ctx.attribute(CALLER_ATTRIBUTE, caller);
    }
  }

  /**
   * Establishes the caller of a route from its credentials and compares its role with the route's,
   * for either path a request can take (Javalin's or {@link CoreRoutes}).
   *
   * @param roles who may call the route; never empty
   * @param authorization the {@code Authorization} header, or null
   * @param sessionCookie reads the session cookie's value (or null), only when no bearer token is
   *     sent
   * @param path the request path, for the messages
   * @param challenge sets {@code WWW-Authenticate: }{@link #CHALLENGE} before a bad token is
   *     refused
   * @return the verified caller; null only on a public route called without credentials
   * @throws DataPactException unauthenticated without a valid credential, forbidden for another
   *     role
   */
  public @Nullable Caller check(
      Set<?> roles,
      @Nullable String authorization,
      java.util.function.Supplier<@Nullable String> sessionCookie,
      String path,
      Runnable challenge)
      throws DataPactException {
    Caller caller = null;
    try {
      if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        caller = accessTokens.verify(authorization.substring(7).trim());
      } else {
        String cookie = sessionCookie.get();
        if (cookie != null && !cookie.isEmpty()) {
          caller = sessions.verify(cookie);
        }
      }
    } catch (DataPactException e) {
      if (!roles.contains(Role.PUBLIC)) {
        challenge.run();
        throw e;
      }
    }
    if (roles.contains(Role.PUBLIC)) {
      return caller;
    }
    if (caller == null) {
      throw new DataPactException(ErrorKind.UNAUTHENTICATED, "sign in to use `" + path + "`");
    }
    if (!roles.contains(caller.role())) {
      throw new DataPactException(
          ErrorKind.FORBIDDEN,
          "the " + caller.role().wireName() + " role may not use `" + path + "`");
    }
    return caller;
  }

  /**
   * @return the verified caller of this request, if any
   */
  public static Optional<Caller> caller(Context ctx) {
    return Optional.ofNullable(ctx.attribute(CALLER_ATTRIBUTE));
  }

  /**
   * @return the verified caller of a route that requires one
   * @throws DataPactException unauthenticated if there is none
   */
  public static Caller requireCaller(Context ctx) throws DataPactException {
    return caller(ctx)
        .orElseThrow(
            () ->
                new DataPactException(
                    ErrorKind.UNAUTHENTICATED, "sign in to use `" + ctx.path() + "`"));
  }
}
