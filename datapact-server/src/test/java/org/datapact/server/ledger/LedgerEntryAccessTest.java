package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

class LedgerEntryAccessTest extends DemoServerTest {
  private static long decideAbout(long user) throws Exception {
    var r =
        server.postWithToken(
            server.token("ads"),
            "/api/v1/decisions",
            "{\"subject\":" + user + ",\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    return Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
  }

  @Test
  void regulatorReadsAnyEntryWithItsPersonalFieldsOpened() throws Exception {
    long index = decideAbout(1);
    var rita = server.session();
    rita.login("rita");
    JsonNode e = TestServer.json(rita.get("/api/v1/ledger/entries/" + index));
    assertThat(e.get("index").asLong()).isEqualTo(index);
    assertThat(e.get("type").asText()).isEqualTo("decision");
    assertThat(e.get("principal").asText()).isEqualTo("ads");
    assertThat(e.get("personal").get("user").asLong()).isEqualTo(1);
    assertThat(e.get("personal").get("country").asText()).isEqualTo("DE");
    JsonNode page = TestServer.json(rita.get("/api/v1/ledger/entries?from=0&limit=5"));
    assertThat(page.get("entries")).hasSize(5);
    assertThat(page.get("entries").get(0).get("type").asText()).isEqualTo("parties");
    assertThat(page.get("next").asText()).isEqualTo("/api/v1/ledger/entries?from=5&limit=5");
  }

  @Test
  void theStartCommitsPartiesAgreementsAndTheGeneratedConsentHistory() throws Exception {
    long parties = 0;
    long agreements = 0;
    long consents = 0;
    long size = server.ledger.log().size();
    for (long i = 0; i < size; i++) {
      String type =
          LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(i))
              .get("type")
              .asText();
      parties += type.equals("parties") ? 1 : 0;
      agreements += type.equals("agreement") ? 1 : 0;
      consents += type.equals("consent") ? 1 : 0;
    }
    // once each, though the history was committed beside the snapshot's load: the party list and
    // agreements committed first are the snapshot's own
    assertThat(parties).isEqualTo(1);
    assertThat(agreements).isEqualTo(server.context.policies().agreements().size());
    long stored =
        server
            .db
            .jdbi()
            .withHandle(
                h -> h.createQuery("SELECT COUNT(*) FROM consent_event").mapTo(Long.class).one());
    assertThat(consents).isEqualTo(stored);
    // a second start over the same store and ledger commits nothing again
    var again = new AuditTrail(server.ledger, server.db, server.context.mapper());
    try {
      assertThat(
              again.commitPending(
                  server.context.decisions().snapshot(), server.context.policies().agreements()))
          .isZero();
    } finally {
      again.close();
    }
    assertThat(server.ledger.log().size()).isEqualTo(size);
  }

  @Test
  void aUserSeesTheirOwnEntriesAndNoOneElses() throws Exception {
    var bob = server.session();
    bob.login("bob");
    assertThat(bob.put("/api/v1/me/consents/tunely/recommendations").statusCode()).isEqualTo(200);
    long decision = decideAbout(2);
    long other = decideAbout(3);
    server.context.audit().flushIndex();
    JsonNode mine = TestServer.json(bob.get("/api/v1/me/ledger?limit=100"));
    List<Long> indexes = new ArrayList<>();
    for (JsonNode e : mine.get("entries")) {
      assertThat(e.get("personal").get("user").asLong()).isEqualTo(2);
      indexes.add(e.get("index").asLong());
    }
    assertThat(indexes).contains(decision).doesNotContain(other);
    assertThat(indexes).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void entriesAreOnlyForTheRegulator() throws Exception {
    long index = decideAbout(1);
    assertThat(server.session().get("/api/v1/ledger/entries/" + index).statusCode()).isEqualTo(401);
    for (String handle : new String[] {"alice", "oscar", "sam"}) {
      var s = server.session();
      s.login(handle);
      var r = s.get("/api/v1/ledger/entries/" + index);
      assertThat(r.statusCode()).as(handle).isEqualTo(403);
      assertThat(TestServer.json(r).get("type").asText())
          .isEqualTo("urn:datapact:problem:forbidden");
    }
    var unit = server.token("ads");
    var r =
        server
            .session()
            .send(
                java.net.http.HttpRequest.newBuilder(server.uri("/api/v1/ledger/entries/" + index))
                    .header("Authorization", "Bearer " + unit)
                    .GET()
                    .build());
    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void badEntryRequestsAreInvalidOrNotFound() throws Exception {
    var rita = server.session();
    rita.login("rita");
    assertThat(rita.get("/api/v1/ledger/entries/x").statusCode()).isEqualTo(400);
    assertThat(rita.get("/api/v1/ledger/entries/99999999").statusCode()).isEqualTo(404);
    assertThat(rita.get("/api/v1/ledger/entries?limit=1000").statusCode()).isEqualTo(400);
    assertThat(rita.get("/api/v1/ledger/entries?from=-1").statusCode()).isEqualTo(400);
  }
}
