package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The activity the regulator sees is counted from the log, exactly and incrementally. */
class LedgerActivityApiTest {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.demo();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static long sum(JsonNode rows, int key, String value) {
    long n = 0;
    for (JsonNode r : rows) {
      if (value == null || r.get("keys").get(key).asText().equals(value)) {
        n += r.get("count").asLong();
      }
    }
    return n;
  }

  @Test
  void countsReleasesDenialsAndConsentsButNotWhatIfs() throws Exception {
    var rita = server.session();
    rita.login("rita");
    JsonNode before = TestServer.json(rita.get("/api/v1/ledger/activity"));
    assertThat(sum(before.get("consents"), 3, "grant")).isPositive(); // the demo's consent history
    for (int i = 0; i < 3; i++) {
      assertThat(server.partnerReadsProfile("streamflix", 1).statusCode()).isEqualTo(200);
    }
    assertThat(server.partnerReadsProfile("streamflix", 4).statusCode()).isEqualTo(403);
    assertThat(
            rita.post(
                    "/api/v1/decisions/what-if",
                    "{\"principal\":\"streamflix\",\"subject\":1,\"scope\":\"profile.basic\","
                        + "\"purpose\":\"recommendations\",\"at\":\"2019-06-01T00:00:00Z\"}")
                .statusCode())
        .isEqualTo(200);
    JsonNode after = TestServer.json(rita.get("/api/v1/ledger/activity"));
    assertThat(after.get("entries").asLong()).isEqualTo(server.context.ledger().log().size());
    assertThat(
            sum(after.get("releases"), 1, "streamflix")
                - sum(before.get("releases"), 1, "streamflix"))
        .isEqualTo(3);
    assertThat(
            sum(after.get("denials"), 1, "streamflix")
                - sum(before.get("denials"), 1, "streamflix"))
        .isEqualTo(1);
    JsonNode release = after.get("releases").get(after.get("releases").size() - 1);
    assertThat(release.get("keys").get(5).asText()).isIn("EU", "US", "DEFAULT");
    var alice = server.session();
    alice.login("alice");
    assertThat(alice.get("/api/v1/ledger/activity").statusCode()).isEqualTo(403);
  }

  @Test
  void theRegulatorDownloadsASignedBundleThatVerifiesOfflineAndFailsWhenAltered() throws Exception {
    assertThat(server.partnerReadsProfile("streamflix", 1).statusCode()).isEqualTo(200);
    String year = Integer.toString(java.time.Year.now(java.time.ZoneOffset.UTC).getValue());
    var oscar = server.session();
    oscar.login("oscar");
    // a governance act of this period: a declared interest
    var declared =
        oscar.post(
            "/api/v1/interests",
            "{\"person\":\"mina\",\"organisation\":\"tunely\",\"kind\":\"shareholding\","
                + "\"since\":\"2020-01-01T00:00:00Z\"}");
    assertThat(declared.statusCode()).as(declared.body()).isEqualTo(201);
    var rita = server.session();
    rita.login("rita");
    var answer = rita.get("/api/v1/ledger/bundle?period=" + year);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Disposition").orElse(""))
        .contains("datapact-auditor-bundle-" + year + ".json");
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var bundle = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(answer.body());
    var key =
        org.datapact.ledger.checkpoint.Notes.parseVerifierKey(
            server.context.ledger().keys().verifierKey());
    var ok = AuditorBundle.verify(bundle, key, mapper);
    assertThat(ok.ok()).as(ok.message()).isTrue();
    assertThat(ok.agreements()).isPositive();
    assertThat(ok.tableRows()).isPositive();
    assertThat(ok.governance()).isPositive(); // the interest declared this period
    // any change to the content breaks the signature
    bundle.put(
        "content",
        bundle
            .get("content")
            .asText()
            .replaceFirst("\"releases\":\\[\\[", "\"releases\":[[\"x\","));
    var altered = AuditorBundle.verify(bundle, key, mapper);
    assertThat(altered.ok()).isFalse();
    assertThat(altered.message()).contains("signature does not verify");
    assertThat(rita.get("/api/v1/ledger/bundle?period=2026-13").statusCode()).isEqualTo(400);
    var alice = server.session();
    alice.login("alice");
    assertThat(alice.get("/api/v1/ledger/bundle?period=" + year).statusCode()).isEqualTo(403);
  }
}
