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
    io.micrometer.core.instrument.FunctionCounter.builder("datapact.ledger.checkpoint.failures", context.ledger(),
            l -> (double) l.checkpointFailures())
        .description("checkpoint ticks that failed (each is retried with back-off)").register(context.metrics());
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
        Route.get("/health", this::ready, Role.PUBLIC),
        Route.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")), Role.PUBLIC),
        Route.get("/health/ready", this::ready, Role.PUBLIC),
        Route.get("/metrics", this::metrics, Role.PUBLIC),
        Route.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi), Role.PUBLIC));
  }

  /**
   * Readiness: UP only when the store answers and the ledger can take entries and sign checkpoints
   * (a server that would refuse every audited call is not ready); 503 with what is wrong otherwise.
   */
  private void ready(Context ctx) {
    java.util.Map<String, Object> checks = new java.util.LinkedHashMap<>();
    boolean store;
    try {
      store = context.db().jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      store = false;
    }
    checks.put("store", store ? "UP" : "DOWN");
    java.util.Optional<String> ledger = context.ledger().unwritable();
    checks.put("ledger", ledger.orElse("UP"));
    java.util.Optional<String> index = context.audit().indexFailing();
    checks.put("subjectIndex", index.orElse("UP"));
    boolean up = store && ledger.isEmpty() && index.isEmpty();
    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("checks", checks);
    if (!up) {
      ctx.header("Retry-After", "5");
    }
    ctx.status(up ? 200 : 503).json(body);
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(context.metrics().scrape());
  }
}
