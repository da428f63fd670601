package org.datapact.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.store.Database;
import org.datapact.store.StoreConfig;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path ledgerDir;

  /** The slow route has begun (JUnit makes a new instance, and so new latches, per test). */
  private final CountDownLatch entered = new CountDownLatch(1);

  /** Lets the slow route answer. */
  private final CountDownLatch release = new CountDownLatch(1);

  @Test
  void stopLetsAnInFlightRequestFinish() throws Exception {
    assertStopWaits(
        Route.get(
            "/slow",
            ctx -> {
              entered.countDown();
              release.await(10, TimeUnit.SECONDS);
              ctx.result("done");
            },
            Role.PUBLIC));
  }

  /**
   * A core route answers from another thread, as the partner reads do once their entry is durable.
   */
  @Test
  void stopLetsAnInFlightCoreRequestFinish() throws Exception {
    assertStopWaits(
        Route.coreGet(
            "/slow",
            x -> {
              entered.countDown();
              Thread later =
                  new Thread(
                      () -> {
                        try {
                          release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        x.respond(
                            200,
                            "text/plain",
                            "done".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                      });
              later.start();
            },
            Role.PUBLIC));
  }

  private void assertStopWaits(Route slow) throws Exception {
    try (Database db =
        Database.open(
            new StoreConfig(
                "jdbc:h2:mem:g"
                    + UUID.randomUUID().toString().replace("-", "")
                    + ";DB_CLOSE_DELAY=-1",
                null,
                null,
                null))) {
      var ledger =
          org.datapact.server.ledger.LedgerService.open(
              ledgerDir, Clock.systemUTC(), java.time.Duration.ZERO);
      DataPactServer server =
          DataPactServer.start(
              ServerContext.create(db, Clock.systemUTC(), ledger, null),
              "127.0.0.1",
              0,
              List.of(() -> List.of(slow)));
      java.net.URI base = server.baseUri();
      CompletableFuture<HttpResponse<String>> inFlight =
          HttpClient.newHttpClient()
              .sendAsync(
                  HttpRequest.newBuilder(base.resolve("/slow")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
      // wait until the server refuses new connections: it is stopping, the request still in flight
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      boolean refusing = false;
      while (!refusing && System.nanoTime() < deadline) {
        try {
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve("/health")).build(),
                  HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
          refusing = true;
        }
      }
      assertThat(refusing).as("server began stopping").isTrue();
      assertThat(inFlight).isNotDone();
      release.countDown();
      HttpResponse<String> r = inFlight.get(15, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("done");
      stopping.get(15, TimeUnit.SECONDS);
      ledger.close();
    }
  }
}
