package org.datapact.server.world;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.party.Party;
import org.datapact.core.user.User;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.session.Caller;
import org.datapact.store.party.PartyRepository;
import org.datapact.store.user.UserRepository;
import org.datapact.store.world.WorldStore;

/**
 * What each role sees of the platform's world: a user their own profile, a partner's staff their
 * partner, operators and regulators the world's shape in aggregate (no individual's data).
 */
public final class WorldFeature implements Feature {
  private final UserRepository users;
  private final PartyRepository parties;
  private final WorldStore worlds;

  /**
   * @param context the server's shared parts
   */
  public WorldFeature(ServerContext context) {
    this.users = new UserRepository(context.db());
    this.parties = new PartyRepository(context.db());
    this.worlds = new WorldStore(context.db());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/me/profile", this::profile, Role.USER),
        Route.get("/api/v1/partner/profile", this::partner, Role.PARTNER),
        Route.get("/api/v1/world", this::world, Role.OPERATOR, Role.REGULATOR));
  }

  private void profile(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    User u =
        users
            .find(caller.requireUser())
            .orElseThrow(() -> DataPactException.notFound("your user record no longer exists"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("userId", u.id().value());
    m.put("handle", u.handle());
    m.put("displayName", u.displayName());
    m.put("country", u.country().value());
    m.put("friends", users.friendCount(u.id()));
    m.put("threads", users.threadCount(u.id()));
    ctx.json(m);
  }

  private void partner(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    Party p =
        parties
            .find(caller.requireParty())
            .orElseThrow(
                () ->
                    DataPactException.notFound(
                        "partner `" + caller.party() + "` no longer exists"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("party", p.id().value());
    m.put("displayName", p.displayName());
    m.put("description", p.description());
    m.put("clientIds", parties.clientIds(p.id()));
    ctx.json(m);
  }

  private void world(Context ctx) {
    Map<String, Object> m = new LinkedHashMap<>();
    worlds
        .current()
        .ifPresent(
            meta -> {
              m.put("seed", meta.seed());
              m.put("generatorVersion", meta.generatorVersion());
              m.put("generatedAt", meta.generatedAt().toString());
            });
    m.put("users", users.count());
    m.put("usersByCountry", users.countByCountry());
    m.put(
        "parties",
        parties.all().stream()
            .map(
                p ->
                    Map.of(
                        "id",
                        p.id().value(),
                        "kind",
                        p.kind().wireName(),
                        "displayName",
                        p.displayName(),
                        "description",
                        p.description()))
            .toList());
    ctx.json(m);
  }
}
