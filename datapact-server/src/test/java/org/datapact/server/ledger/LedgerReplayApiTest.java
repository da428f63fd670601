package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replay over HTTP: the regulator sees an entry's inputs and outcome side by side. */
class LedgerReplayApiTest {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.demo();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theRegulatorReplaysAPartnerReadWithItsTermsAndTheSubjectsConsents() throws Exception {
    var read = server.partnerReadsProfile("streamflix", 1);
    long index = Long.parseLong(read.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
    var rita = server.session();
    rita.login("rita");
    var answer = rita.get("/api/v1/ledger/entries/" + index + "/replay");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode r = TestServer.json(answer);
    assertThat(r.get("outcome").asText()).isEqualTo("MATCH");
    assertThat(r.get("recorded")).isEqualTo(r.get("replayed"));
    JsonNode in = r.get("inputs");
    assertThat(in.get("request").get("principal").asText()).isEqualTo("streamflix");
    assertThat(in.get("request").get("scope").asText()).isEqualTo("profile.basic");
    assertThat(in.get("request").get("country").asText()).hasSize(2);
    assertThat(in.get("agreement").get("version").asText())
        .isEqualTo(r.get("recorded").get("agreementVersion").asText());
    assertThat(in.get("agreement").get("document").toString()).contains("\"permission\"");
    assertThat(in.get("consents").toString())
        .contains("\"party\":\"streamflix\"", "\"action\":\"grant\"");
  }

  @Test
  void anEntryThatIsNotADecisionSaysSoAndOthersMayNotReplay() throws Exception {
    var rita = server.session();
    rita.login("rita");
    JsonNode first = TestServer.json(rita.get("/api/v1/ledger/entries/0/replay"));
    assertThat(first.get("outcome").asText()).isEqualTo("NOT_A_DECISION");
    assertThat(first.get("inputs").isNull()).isTrue();
    assertThat(rita.get("/api/v1/ledger/entries/99999999/replay").statusCode()).isEqualTo(404);
    var alice = server.session();
    alice.login("alice");
    assertThat(alice.get("/api/v1/ledger/entries/0/replay").statusCode()).isEqualTo(403);
  }
}
