package org.datapact.server.units;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.datapact.server.ledger.LedgerEntries;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Units read what partners pushed only through DataPact, which labels it from what it holds: the
 * attacker's case first — {@code watch} declares nothing and is still refused streamflix's data.
 */
class UnitDataDoorTest extends DemoServerTest {
  private static final String ALICE_SIGNALS = "/api/v1/units/users/1/signals";

  @BeforeAll
  static void streamflixPushedASignalAboutAlice() throws Exception {
    var r =
        server.postWithToken(
            server.token("streamflix"),
            "/api/v1/activity?purpose=recommendations",
            "{\"user\":\""
                + server.partnerId("streamflix", 1)
                + "\",\"category\":\"video_viewing\",\"signal\":{\"genre\":\"documentary\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  private static JsonNode entryOf(HttpResponse<String> r) throws Exception {
    long index = Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
    return LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(index));
  }

  @Test
  void refusesWatchStreamflixDataAlthoughItDeclaresNoLabels() throws Exception {
    var r = server.getWithToken(server.token("watch"), ALICE_SIGNALS + "?purpose=recommendations");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    assertThat(r.body())
        .contains("prohibited")
        .contains("not-for-watch")
        .doesNotContain("documentary");
    // the refusal is on the record, with the labels DataPact attached
    JsonNode e = entryOf(r);
    assertThat(e.get("effect").asText()).isEqualTo("deny");
    assertThat(e.get("principal").asText()).isEqualTo("watch");
    assertThat(e.get("labels").toString()).contains("\"source\":\"streamflix\"");
  }

  @Test
  void refusesAdsTargetingWithStreamflixDataExceptOnStreamflixsOwnBehalf() throws Exception {
    String ads = server.token("ads");
    var forAnyone = server.getWithToken(ads, ALICE_SIGNALS + "?purpose=ad_targeting");
    assertThat(forAnyone.statusCode()).as(forAnyone.body()).isEqualTo(403);
    assertThat(forAnyone.body()).contains("no-ad-targeting-but-own");

    var forStreamflix =
        server.getWithToken(ads, ALICE_SIGNALS + "?purpose=ad_targeting&onBehalfOf=streamflix");
    assertThat(forStreamflix.statusCode()).as(forStreamflix.body()).isEqualTo(200);
    JsonNode body = TestServer.json(forStreamflix);
    assertThat(body.get("labels").get(0).get("source").asText()).isEqualTo("streamflix");
    assertThat(body.get("labels").get(0).get("jurisdiction").asText()).isEqualTo("EU");
    assertThat(body.get("data").get(0).get("signal").get("genre").asText())
        .isEqualTo("documentary");
    assertThat(body.get("data").get(0).get("restsOn").asLong()).isNotNegative();
    assertThat(body.get("decisionId").asText())
        .isEqualTo(forStreamflix.headers().firstValue("X-DataPact-Decision-Id").orElseThrow());
  }

  @Test
  void releasesTheLabelledSignalsForAPermittedUseAndRecordsThemFirst() throws Exception {
    var r = server.getWithToken(server.token("ranking"), ALICE_SIGNALS + "?purpose=ranking");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode e = entryOf(r);
    assertThat(e.get("effect").asText()).isEqualTo("allow");
    assertThat(e.get("scope").asText()).isEqualTo("data.use");
    assertThat(e.get("labels").size()).isEqualTo(TestServer.json(r).get("labels").size());
  }

  @Test
  void refusesPartnersAndBadInputWithProblems() throws Exception {
    assertThat(
            server
                .getWithToken(server.token("streamflix"), ALICE_SIGNALS + "?purpose=ranking")
                .statusCode())
        .isEqualTo(403);
    String ranking = server.token("ranking");
    assertThat(server.getWithToken(ranking, ALICE_SIGNALS).body())
        .contains("`purpose` is required");
    assertThat(
            server
                .getWithToken(ranking, "/api/v1/units/users/x/signals?purpose=ranking")
                .statusCode())
        .isEqualTo(400);
    assertThat(
            server
                .getWithToken(ranking, "/api/v1/units/users/1/signals?purpose=bribery")
                .statusCode())
        .isEqualTo(400);
    assertThat(
            server
                .getWithToken(ranking, "/api/v1/units/users/999999999/signals?purpose=ranking")
                .statusCode())
        .isEqualTo(404);
  }
}
