package org.datapact.server.oauth;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.store.cluster.SigningKeyStore;

/**
 * The access-token signing keys every node shares: which are live (ids and dates, never secrets),
 * and a rotation — a new key signs from now on, on every node within the change feed's second, and
 * the previous ones verify until the tokens they signed have expired. Each rotation is ledgered.
 */
public final class KeysFeature implements Feature {
  private final ServerContext context;

  /**
   * @param context the server's shared parts
   */
  public KeysFeature(ServerContext context) {
    this.context = context;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/keys/access-tokens", this::list, Role.OPERATOR),
        Route.post("/api/v1/keys/access-tokens/rotate", this::rotate, Role.OPERATOR));
  }

  private void list(Context ctx) {
    var live =
        new SigningKeyStore(context.db()).live(AccessTokens.PURPOSE, context.clock().instant());
    ctx.json(
        Map.of(
            "signing",
            context.accessTokens().signingKeyId(),
            "keys",
            live.stream()
                .map(
                    k -> {
                      Map<String, Object> m = new LinkedHashMap<>();
                      m.put("kid", k.kid());
                      m.put("createdAt", k.createdAt().toString());
                      m.put("retireAt", k.retireAt() == null ? null : k.retireAt().toString());
                      return m;
                    })
                .toList()));
  }

  private void rotate(Context ctx) throws DataPactException {
    var caller = AccessControl.requireCaller(ctx);
    String kid;
    synchronized (context.decisions()) {
      kid = context.accessTokens().rotate();
      context
          .audit()
          .governance(
              context.clock().instant(), "access_key_rotated", caller.actor(), Map.of("kid", kid));
      context.feed().publish("keys", kid);
    }
    ctx.status(201).json(Map.of("kid", kid));
  }
}
