package org.datapact.server.session;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.user.User;
import org.datapact.core.world.Cast;
import org.datapact.core.world.ConsoleAccount;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.store.party.PartyRepository;
import org.datapact.store.user.UserRepository;
import org.jspecify.annotations.Nullable;

/**
 * Console sessions: the demo login (only in {@code datapact demo}: pick a cast member, get a signed
 * session cookie), sign-out, and {@code /api/v1/me}.
 */
public final class SessionFeature implements Feature {
  private final ServerContext context;
  private final UserRepository users;
  private final PartyRepository parties;

  private final boolean secureCookie;

  /**
   * @param context the server's shared parts
   * @param secureCookie whether the session cookie is {@code Secure} (the public URL is https)
   */
  public SessionFeature(ServerContext context, boolean secureCookie) {
    this.context = context;
    this.secureCookie = secureCookie;
    this.users = new UserRepository(context.db());
    this.parties = new PartyRepository(context.db());
  }

  /**
   * Body of the demo login.
   *
   * @param handle the cast member to sign in as
   */
  record DemoLogin(String handle) {}

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/demo/cast", this::cast, Role.PUBLIC),
        Route.post("/api/v1/session/demo", this::demoLogin, Role.PUBLIC),
        Route.delete("/api/v1/session", this::logout, Role.PUBLIC),
        Route.get("/api/v1/me", this::me, Role.USER, Role.PARTNER, Role.OPERATOR, Role.REGULATOR));
  }

  private Cast demoCast() throws DataPactException {
    return context
        .demo()
        .orElseThrow(
            () ->
                DataPactException.notFound(
                    "the demo login exists only in a server started with `datapact demo`"));
  }

  private void cast(Context ctx) throws DataPactException {
    Cast cast = demoCast();
    List<Map<String, Object>> people = new java.util.ArrayList<>();
    for (Cast.User u : cast.users()) {
      people.add(person(u.handle(), u.displayName(), Role.USER, null, u.demonstrates()));
    }
    for (Cast.Staff s : cast.staff()) {
      people.add(
          person(
              s.handle(),
              s.displayName(),
              Role.fromWire(s.role().wireName()),
              s.party() == null ? null : s.party().value(),
              s.demonstrates()));
    }
    ctx.json(Map.of("members", people));
  }

  private static Map<String, Object> person(
      String handle, String name, Role role, @Nullable String party, String demonstrates) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("handle", handle);
    m.put("displayName", name);
    m.put("role", role.wireName());
    if (party != null) {
      m.put("party", party);
    }
    m.put("demonstrates", demonstrates);
    return m;
  }

  private void demoLogin(Context ctx) throws DataPactException {
    Cast cast = demoCast();
    DemoLogin login = Json.body(ctx, context.mapper(), DemoLogin.class);
    if (login.handle() == null || login.handle().isBlank()) {
      throw DataPactException.invalid("`handle` is required: the cast member to sign in as");
    }
    boolean inCast =
        cast.users().stream().anyMatch(u -> u.handle().equals(login.handle()))
            || cast.staff().stream().anyMatch(s -> s.handle().equals(login.handle()));
    if (!inCast) {
      throw DataPactException.invalid(
          "`" + login.handle() + "` is not in the demo cast; see GET /api/v1/demo/cast");
    }
    Caller caller =
        resolve(login.handle())
            .orElseThrow(
                () ->
                    DataPactException.notFound(
                        "cast member `"
                            + login.handle()
                            + "` is not in the store; restart the demo"));
    signIn(ctx, context.sessions(), caller, secureCookie);
    ctx.json(describe(caller));
  }

  /**
   * Starts a console session for {@code caller}: a signed token in an {@code HttpOnly}, {@code
   * SameSite=Strict} cookie ({@code Secure} when the public URL is https). The demo login and
   * OpenID Connect sign-in both end here.
   */
  static void signIn(Context ctx, SessionTokens sessions, Caller caller, boolean secure) {
    ctx.cookie(
        new Cookie(
            AccessControl.SESSION_COOKIE,
            sessions.issue(caller),
            "/",
            (int) SessionTokens.LIFETIME.toSeconds(),
            secure,
            true,
            null,
            SameSite.STRICT));
  }

  private Optional<Caller> resolve(String handle) {
    Optional<User> user = users.findByHandle(handle);
    if (user.isPresent()) {
      User u = user.get();
      return Optional.of(new Caller(u.handle(), u.displayName(), Role.USER, u.id(), null));
    }
    Optional<ConsoleAccount> account = parties.consoleAccount(handle);
    return account.map(
        a ->
            new Caller(
                a.handle(), a.displayName(), Role.fromWire(a.role().wireName()), null, a.party()));
  }

  private void logout(Context ctx) {
    String token = ctx.cookie(AccessControl.SESSION_COOKIE);
    if (token != null && !token.isEmpty()) {
      // INVARIANT: signing out ends the session on the server, not only in this browser
      context.sessions().revoke(token);
    }
    ctx.removeCookie(AccessControl.SESSION_COOKIE, "/");
    ctx.status(204);
  }

  private void me(Context ctx) throws DataPactException {
    ctx.json(describe(AccessControl.requireCaller(ctx)));
  }

  private static Map<String, Object> describe(Caller c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("handle", c.handle());
    m.put("displayName", c.displayName());
    m.put("role", c.role().wireName());
    if (c.userId() != null) {
      m.put("userId", c.userId().value());
    }
    if (c.party() != null) {
      m.put("party", c.party().value());
    }
    return m;
  }
}
