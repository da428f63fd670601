package org.datapact.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.UserId;
import org.datapact.ledger.verify.LedgerVerifier;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.datapact.server.ledger.LedgerReplay;
import org.datapact.store.privacy.ErasureStore;
import org.junit.jupiter.api.Test;

/**
 * Erasure reaches the partners that received the user's data: a signed deletion request from the
 * durable outbox to each, a receiver that fails three times still gets it (back-off), each
 * confirms, the user sees it per partner; the user's ledger entries can no longer be opened and the
 * log still verifies; and a restart in the middle loses no notice.
 */
class ErasureWebhookTest extends DemoServerTest {

  /** A partner's receiver that checks each signature and may fail its first requests. */
  static final class Receiver implements AutoCloseable {
    final HttpServer http;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    volatile String secret = "";

    Receiver(int failFirst) throws Exception {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext(
          "/erasure",
          x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String ts = x.getRequestHeaders().getFirst("X-DataPact-Timestamp");
            String sig = x.getRequestHeaders().getFirst("X-DataPact-Signature");
            boolean signed =
                ts != null
                    && sig != null
                    && sig.equals(ErasureOutbox.signature(secret, Long.parseLong(ts), body));
            int n = calls.incrementAndGet();
            byte[] out;
            int status;
            if (!signed) {
              status = 401;
              out = "{}".getBytes(StandardCharsets.UTF_8);
            } else if (n <= failFirst) {
              status = 500;
              out = "{}".getBytes(StandardCharsets.UTF_8);
            } else {
              bodies.add(body);
              status = 200;
              out = ("{\"confirmation\":\"ok-" + n + "\"}").getBytes(StandardCharsets.UTF_8);
            }
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status, out.length);
            x.getResponseBody().write(out);
            x.close();
          });
      http.start();
    }

    String url() {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/erasure";
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  private static String webhook(TestServer.Session oscar, String partner, String url)
      throws Exception {
    var r = oscar.post("/api/v1/parties/" + partner + "/webhook", "{\"url\":\"" + url + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestServer.json(r).get("secret").asText();
  }

  @Test
  void aUsersErasureReachesBothPartnersThatReceivedHerDataEvenOneThatFailsThreeTimes()
      throws Exception {
    try (Receiver streamflix = new Receiver(0);
        Receiver tunely = new Receiver(3)) {
      var oscar = server.session();
      oscar.login("oscar");
      streamflix.secret = webhook(oscar, "streamflix", streamflix.url());
      tunely.secret = webhook(oscar, "tunely", tunely.url());

      var alice = server.session();
      alice.login("alice");
      assertThat(alice.put("/api/v1/me/consents/tunely/recommendations").statusCode())
          .isEqualTo(200);
      var read = server.partnerReadsProfile("streamflix", 1);
      assertThat(read.statusCode()).isEqualTo(200);
      long readIndex =
          Long.parseLong(read.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
      assertThat(
              server
                  .getWithToken(
                      server.token("tunely"),
                      "/api/v1/users/"
                          + server.partnerId("tunely", 1)
                          + "/friends?purpose=recommendations")
                  .statusCode())
          .isEqualTo(200);
      server.context.audit().flushIndex();

      JsonNode erased = TestServer.json(alice.post("/api/v1/me/erasure", "{}"));
      assertThat(erased.get("partnersNotified").toString()).contains("streamflix", "tunely");

      JsonNode status = null;
      for (int i = 0; i < 200; i++) {
        status = TestServer.json(alice.get("/api/v1/me/erasure"));
        boolean all = status.size() == 2;
        for (JsonNode n : status) {
          all &= n.get("status").asText().equals("confirmed");
        }
        if (all) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(status.toString())
          .contains("\"partner\":\"streamflix\"", "\"partner\":\"tunely\"");
      for (JsonNode n : status) {
        assertThat(n.get("status").asText()).as(n.toString()).isEqualTo("confirmed");
        assertThat(n.get("confirmation").asText()).startsWith("ok-");
        assertThat(n.get("dueBy").asText()).isNotBlank();
      }
      assertThat(tunely.calls.get()).as("three failures, then delivered").isEqualTo(4);
      assertThat(streamflix.bodies.get(0))
          .contains("\"type\":\"erasure_request\"")
          .contains(server.partnerId("streamflix", 1))
          .doesNotContain("\"user\":1,");
      assertThat(tunely.bodies.get(0)).contains(server.partnerId("tunely", 1));

      // the operator sees the requests; the ledger entries about her can no longer be opened
      assertThat(oscar.get("/api/v1/erasures").body()).contains(erased.get("erasureId").asText());
      assertThat(
              LedgerReplay.replay(server.ledgerDir, readIndex, server.context.mapper()).outcome())
          .isEqualTo(LedgerReplay.Outcome.ERASED);
      var keys = server.context.ledger().keys();
      assertThat(
              LedgerVerifier.verify(
                      server.ledgerDir.resolve("log"), keys.name(), keys.rawPublicKey())
                  .ok())
          .as("the log still verifies")
          .isTrue();
    }
  }

  @Test
  void aRestartInTheMiddleLosesNoNotice() throws Exception {
    ErasureStore store = new ErasureStore(server.db);
    org.datapact.server.MovableClock clock =
        new org.datapact.server.MovableClock(Clock.systemUTC().instant());
    try (Receiver seekr = new Receiver(0)) {
      seekr.secret = "whs_test-secret";
      // the receiver is registered but unreachable at first: its port is closed
      store.setWebhook(PartyId.of("seekr"), "http://127.0.0.1:9/erasure", seekr.secret);
      store.request(
          "restart-test",
          UserId.of(42),
          clock.instant(),
          clock.instant().plusSeconds(30 * 86_400L),
          "user",
          Map.of(PartyId.of("seekr"), "u_restart"));
      try (ErasureOutbox before =
          new ErasureOutbox(store, clock, server.context.mapper(), () -> URI.create("http://x/"))) {
        before.deliverDue(); // fails: nobody listens; the server then "stops"
      }
      assertThat(store.ofUser(UserId.of(42)).get(0).attempts()).isEqualTo(1);
      store.setWebhook(PartyId.of("seekr"), seekr.url(), seekr.secret);
      clock.advance(java.time.Duration.ofSeconds(2)); // past the first back-off
      try (ErasureOutbox after =
          new ErasureOutbox(store, clock, server.context.mapper(), () -> URI.create("http://x/"))) {
        after.deliverDue();
      }
      var n = store.ofUser(UserId.of(42)).get(0);
      assertThat(n.deliveredAt()).as("delivered after the restart").isNotNull();
      assertThat(seekr.bodies).hasSize(1);
    }
  }
}
