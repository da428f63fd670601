package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/** A ledger that stalls: no decision leaves before its entry is durable. */
class AuditBeforeReleaseTest {
  private static final String BODY =
      "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}";

  private static CompletableFuture<HttpResponse<String>> decideAsync(
      TestServer server, String token) {
    return HttpClient.newHttpClient()
        .sendAsync(
            HttpRequest.newBuilder(server.uri("/api/v1/decisions"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void noDecisionLeavesWhileTheLedgerStallsAndItLeavesOnceDurable() throws Exception {
    CountDownLatch syncing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean armed = new AtomicBoolean();
    try (TestServer server =
        TestServer.demoWithLedger(
            Duration.ofSeconds(30),
            entries -> {
              if (armed.get()) {
                syncing.countDown();
                release.await(); // the sync stalls until the test lets it go
              }
            })) {
      String token = server.token("ads");
      long before = server.ledger.log().size(); // the start's commits of agreements and consents
      armed.set(true);
      CompletableFuture<HttpResponse<String>> response = decideAsync(server, token);
      assertThat(syncing.await(10, TimeUnit.SECONDS))
          .as("the decision reached the ledger's sync")
          .isTrue();
      assertThat(response).as("no answer while the entry is not durable").isNotDone();
      assertThat(server.ledger.log().size()).isEqualTo(before);
      release.countDown();
      HttpResponse<String> r = response.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-DataPact-Ledger-Index")).hasValue(Long.toString(before));
      assertThat(server.ledger.log().size()).isEqualTo(before + 1);
    }
  }

  @Test
  void aLedgerThatNeverSyncsGivesA503AndNoDecision() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean armed = new AtomicBoolean();
    try (TestServer server =
        TestServer.demoWithLedger(
            Duration.ofMillis(300),
            entries -> {
              if (armed.get()) {
                never.await();
              }
            })) {
      String token = server.token("ads");
      armed.set(true);
      HttpResponse<String> r = decideAsync(server, token).get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(TestServer.json(r).get("type").asText())
          .isEqualTo("urn:datapact:problem:unavailable");
      assertThat(r.body()).doesNotContain("\"effect\"");
      never.countDown();
    }
  }
}
