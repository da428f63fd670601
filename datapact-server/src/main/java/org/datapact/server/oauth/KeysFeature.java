package org.datapact.server.oauth;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.store.cluster.SigningKeyStore;
import org.jspecify.annotations.Nullable;

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

  /**
   * One access-token key, never its secret.
   *
   * @param kid its id (the tokens' {@code kid})
   * @param createdAt when it was made
   * @param retireAt when it stops verifying, or null while it signs
   */
  record KeyAnswer(String kid, java.time.Instant createdAt, java.time.@Nullable Instant retireAt) {}

  /**
   * The keys that verify tokens now.
   *
   * @param signing the id of the key new tokens are signed with
   * @param keys every live key
   */
  record Keys(String signing, List<KeyAnswer> keys) {}

  /** A rotation's answer: the new key's id. */
  record Rotated(String kid) {}

  private void list(Context ctx) {
    var live =
        new SigningKeyStore(context.db()).live(AccessTokens.PURPOSE, context.clock().instant());
    ctx.json(
        new Keys(
            context.accessTokens().signingKeyId(),
            live.stream().map(k -> new KeyAnswer(k.kid(), k.createdAt(), k.retireAt())).toList()));
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
    ctx.status(201).json(new Rotated(kid));
  }
}
