package org.datapact.server.ops;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.datapact.server.ServerContext;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;

/**
 * Operational endpoints: health (with a database check), Prometheus metrics and the OpenAPI
 * document. They are public and carry no personal data.
 */
public final class OpsFeature implements Feature {
  private final ServerContext context;
  private final byte[] openApi;

  /** @param context the server's shared parts */
  public OpsFeature(ServerContext context) {
    this.context = context;
    try (InputStream in = OpsFeature.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      this.openApi = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/health", this::health, Role.PUBLIC),
        Route.get("/metrics", this::metrics, Role.PUBLIC),
        Route.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi), Role.PUBLIC));
  }

  private void health(Context ctx) {
    boolean up;
    try {
      up = context.db().jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      up = false;
    }
    ctx.status(up ? 200 : 503).json(Map.of("status", up ? "UP" : "DOWN"));
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(context.metrics().scrape());
  }
}
