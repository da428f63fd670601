package org.datapact.bench;

import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The load benchmark's peer: a plain Javalin server (same version and Jetty as DataPact) that
 * answers {@code GET /friends} and {@code POST /messages} with fixed JSON bodies held in memory —
 * no token check, no decision, no ledger, no database; configured as DataPact's server is (the
 * result copy buffer, no header cache, no reserved threads). The load script sends it the same
 * requests as DataPact, bearer token included, and it answers with the same headers (a receipt's
 * decision id and ledger index, fixed here), so that both sides parse and write the same bytes: the
 * 423-byte token alone cost this server 8–13 µs of CPU per call (docs/benchmarks.md). Usage: {@code
 * PlainJavalin <port> <friends.json> <sent.json>}.
 */
public final class PlainJavalin {
  /** A decision id as DataPact writes one (a UUID). */
  private static final String DECISION_ID = "00000000-0000-4000-8000-000000000000";

  /** A ledger index of the size a benchmark run reaches (about a million entries). */
  private static final String LEDGER_INDEX = "1000000";

  private PlainJavalin() {}

  /** A shard origin of the length DataPact's have ({@code datapact/ledger/} + 8 hex digits). */
  private static final String LEDGER_SHARD = "datapact/ledger/1a2b3c4d";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    byte[] friends = Files.readAllBytes(Path.of(args[1]));
    byte[] sent = Files.readAllBytes(Path.of(args[2]));
    Javalin app =
        Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              // as DataPactServer: the same Javalin and Jetty configuration on both sides
              c.http.responseBufferSize = 4_096; // DataPactServer.RESPONSE_COPY_BYTES
              c.jetty.modifyHttpConfiguration(
                  http -> http.setHeaderCacheSize(0)); // DataPactServer.HEADER_CACHE_BYTES
              org.eclipse.jetty.util.thread.QueuedThreadPool pool =
                  new org.eclipse.jetty.util.thread.QueuedThreadPool(250, 8, 60_000);
              pool.setReservedThreads(0); // DataPactServer.threadPool()
              c.jetty.threadPool = pool;
              c.routes.get(
                  "/friends", ctx -> receipt(ctx).contentType("application/json").result(friends));
              c.routes.post(
                  "/messages",
                  ctx -> receipt(ctx).status(201).contentType("application/json").result(sent));
            });
    app.start("127.0.0.1", port);
    System.out.println("plain javalin on " + port);
    Thread.currentThread().join();
  }

  /**
   * The receipt headers DataPact sends with an audited answer, with fixed values of about the same
   * length.
   */
  private static io.javalin.http.Context receipt(io.javalin.http.Context ctx) {
    return ctx.header("X-DataPact-Decision-Id", DECISION_ID)
        .header("X-DataPact-Ledger-Index", LEDGER_INDEX)
        .header("X-DataPact-Ledger-Shard", LEDGER_SHARD);
  }
}
