package org.datapact.server.partner;

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
import org.datapact.server.ledger.LedgerEntries;
import org.junit.jupiter.api.Test;

/**
 * Revocation takes effect on the next partner call, and no partner data leaves before its entry is
 * durable.
 */
class PartnerAuditTest {
  @Test
  void afterAliceRevokesTheNextCallIsDenied() throws Exception {
    try (TestServer server = TestServer.demo()) {
      String token = server.token("streamflix");
      String path =
          "/api/v1/users/" + server.partnerId("streamflix", 1) + "/friends?purpose=recommendations";
      assertThat(server.getWithToken(token, path).statusCode()).isEqualTo(200);
      var alice = server.session();
      alice.login("alice");
      assertThat(alice.delete("/api/v1/me/consents/streamflix/recommendations").statusCode())
          .isEqualTo(204);
      var r = server.getWithToken(token, path);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
      assertThat(TestServer.json(r).get("decision").get("reasons").toString())
          .contains("no_consent");
      long index = Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
      var e = LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(index));
      assertThat(e.get("effect").asText()).isEqualTo("deny");
      assertThat(e.get("endpoint").asText()).isEqualTo("GET /api/v1/users/{userId}/friends");
      // alice sees the partner's attempt in her own ledger view
      server.context.audit().flushIndex();
      assertThat(alice.get("/api/v1/me/ledger?limit=5").body()).contains("\"index\":" + index);
    }
  }

  @Test
  void noFriendListLeavesWhileTheLedgerStalls() throws Exception {
    CountDownLatch syncing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean armed = new AtomicBoolean();
    try (TestServer server =
        TestServer.demoWithLedger(
            Duration.ofSeconds(30),
            entries -> {
              if (armed.get()) {
                syncing.countDown();
                release.await();
              }
            })) {
      String token = server.token("streamflix");
      long before = server.ledger.log().size();
      armed.set(true);
      CompletableFuture<HttpResponse<String>> response =
          HttpClient.newHttpClient()
              .sendAsync(
                  HttpRequest.newBuilder(
                          server.uri(
                              "/api/v1/users/"
                                  + server.partnerId("streamflix", 1)
                                  + "/friends?purpose=recommendations"))
                      .header("Authorization", "Bearer " + token)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(syncing.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200);
      assertThat(response).as("no friend list while the entry is not durable").isNotDone();
      assertThat(server.ledger.log().size()).isEqualTo(before);
      release.countDown();
      HttpResponse<String> r = response.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-DataPact-Ledger-Index")).hasValue(Long.toString(before));
    }
  }

  @Test
  void aLedgerThatStaysStalledAnswers503WithNoDataAndNoReceipt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean armed = new AtomicBoolean();
    try (TestServer server =
        TestServer.demoWithLedger(
            Duration.ofMillis(300),
            entries -> {
              if (armed.get()) {
                release.await(); // stalls past the durability timeout
              }
            })) {
      String token = server.token("streamflix");
      armed.set(true);
      try {
        for (String path :
            new String[] {"/friends?purpose=recommendations", "/profile?purpose=recommendations"}) {
          var r =
              server.getWithToken(
                  token, "/api/v1/users/" + server.partnerId("streamflix", 1) + path);
          assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
          assertThat(r.headers().firstValue("Content-Type"))
              .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
          assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
          assertThat(r.headers().firstValue("X-DataPact-Ledger-Index")).isEmpty();
          assertThat(r.body()).contains("nothing was released").doesNotContain("displayName");
        }
      } finally {
        release.countDown();
      }
    }
  }
}
