package org.datapact.server.ops;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
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

  /**
   * @param context the server's shared parts
   */
  public OpsFeature(ServerContext context) {
    this.context = context;
    io.micrometer.core.instrument.FunctionCounter.builder(
            "datapact.ledger.checkpoint.failures",
            context.ledger(),
            l -> (double) l.checkpointFailures())
        .description("checkpoint ticks that failed (each is retried with back-off)")
        .register(context.metrics());
    io.micrometer.core.instrument.FunctionCounter.builder(
            "datapact.ledger.index.failures", context.audit(), a -> (double) a.indexFailures())
        .description("subject-index writes and retries that failed (each is retried with back-off)")
        .register(context.metrics());
    ledgerMetrics(context);
    try (InputStream in = OpsFeature.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      this.openApi = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The ledger's own metrics: each group commit's write + fdatasync latency and batch size
   * (histograms), the log's size and the age of its latest signed checkpoint.
   */
  private static void ledgerMetrics(ServerContext context) {
    var registry = context.metrics();
    var sync =
        io.micrometer.core.instrument.Timer.builder("datapact.ledger.sync")
            .description("a group commit's write and fdatasync")
            .serviceLevelObjectives(
                java.time.Duration.ofNanos(100_000),
                java.time.Duration.ofNanos(250_000),
                java.time.Duration.ofNanos(500_000),
                java.time.Duration.ofMillis(1),
                java.time.Duration.ofMillis(2),
                java.time.Duration.ofMillis(5),
                java.time.Duration.ofMillis(10),
                java.time.Duration.ofMillis(20),
                java.time.Duration.ofMillis(50),
                java.time.Duration.ofMillis(100),
                java.time.Duration.ofMillis(200))
            .register(registry);
    var batch =
        io.micrometer.core.instrument.DistributionSummary.builder("datapact.ledger.batch.entries")
            .description("entries per group commit")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)
            .register(registry);
    context
        .ledger()
        .log()
        .observe(
            (entries, bytes, nanos) -> {
              sync.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
              batch.record(entries);
            });
    io.micrometer.core.instrument.Gauge.builder(
            "datapact.ledger.size", context.ledger(), l -> (double) l.log().size())
        .description("entries in the log")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "datapact.ledger.checkpoint.age.seconds",
            context,
            c -> c.ledger().checkpointAgeSeconds(c.clock().instant()))
        .description("seconds since the latest signed checkpoint (it ages while the log is idle)")
        .register(registry);
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/health", this::ready, Role.PUBLIC),
        Route.get("/health/live", ctx -> ctx.json(new Live("UP")), Role.PUBLIC),
        Route.get("/health/ready", this::ready, Role.PUBLIC),
        Route.get("/metrics", this::metrics, Role.PUBLIC),
        Route.get(
            "/openapi.json",
            ctx -> ctx.contentType("application/json").result(openApi),
            Role.PUBLIC));
  }

  /**
   * Readiness: UP only when the store answers and the ledger can take entries and sign checkpoints
   * (a server that would refuse every audited call is not ready); 503 with what is wrong otherwise.
   */
  private void ready(Context ctx) {
    boolean store = context.db().answers();
    java.util.Optional<String> ledger = context.ledger().unwritable();
    java.util.Optional<String> index = context.audit().indexFailing();
    java.util.Optional<String> changes = context.feed().staleness();
    boolean up = store && ledger.isEmpty() && index.isEmpty() && changes.isEmpty();
    if (!up) {
      ctx.header("Retry-After", "5");
    }
    ctx.status(up ? 200 : 503)
        .json(
            new Ready(
                up ? "UP" : "DOWN",
                new Checks(
                    store ? "UP" : "DOWN",
                    ledger.orElse("UP"),
                    index.orElse("UP"),
                    changes.orElse("UP"),
                    context.feed().nodeId())));
  }

  /** The liveness answer. */
  record Live(String status) {}

  /** The readiness answer: UP or DOWN, and each check's state (UP, DOWN, or what is wrong). */
  record Ready(String status, Checks checks) {}

  /** Readiness's checks. */
  record Checks(String store, String ledger, String subjectIndex, String changes, String node) {}

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(context.metrics().scrape());
  }
}
