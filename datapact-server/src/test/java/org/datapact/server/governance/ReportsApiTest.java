package org.datapact.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.UserId;
import org.datapact.server.MovableClock;
import org.datapact.server.TestServer;
import org.datapact.store.partner.PartnerData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reciprocity reports reconciled with DataPact's own counts: 100 recommendation links streamflix
 * sent in October 2026 are what DataPact observed; a report within the tolerance passes, one that
 * overstates clicks is flagged, and bad filings are refused naming the field, nothing stored. The
 * demo first starts on 2026-11-03, when October's reports are not yet due.
 */
class ReportsApiTest {
  static TestServer server;
  static String streamflix;

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeAll
  static void streamflixSentAHundredRecommendationsInOctober() throws Exception {
    server = TestServer.demoAt(new MovableClock(Instant.parse("2026-11-03T12:00:00Z")));
    PartnerData data = new PartnerData(server.db);
    List<PartnerData.Recommendation> october = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      october.add(
          new PartnerData.Recommendation(
              PartyId.of("streamflix"),
              UserId.of(1),
              UserId.of(2),
              "Recommended",
              "watch this",
              List.of(new PartnerData.Link("tok-oct-" + i, "https://streamflix.example/t/" + i)),
              Instant.parse("2026-10-05T12:00:00Z").plusSeconds(3600L * i),
              0));
    }
    data.sendRecommendations(october);
    streamflix = server.token("streamflix");
  }

  private static java.net.http.HttpResponse<String> file(String token, String body)
      throws Exception {
    return server.postWithToken(token, "/api/v1/reports", body);
  }

  private static int count() throws Exception {
    return TestServer.json(server.getWithToken(streamflix, "/api/v1/reports")).size();
  }

  @Test
  void reconcilesReportsAndFlagsOneThatOverstatesClicks() throws Exception {
    var sends =
        file(
            streamflix,
            "{\"metric\":\"recommendation_sends\",\"period\":\"2026-10\",\"value\":102,"
                + "\"breakdown\":{\"DE\":60,\"US\":42}}");
    assertThat(sends.statusCode()).as(sends.body()).isEqualTo(201);
    JsonNode s = TestServer.json(sends);
    assertThat(s.get("observed").asLong()).isEqualTo(100);
    assertThat(s.get("discrepancy").asBoolean()).isFalse();
    assertThat(s.get("agreement").asText()).isEqualTo("streamflix-partnership@4");

    var clicks =
        file(streamflix, "{\"metric\":\"recipient_clicks\",\"period\":\"2026-10\",\"value\":40}");
    assertThat(clicks.statusCode()).as(clicks.body()).isEqualTo(201);
    JsonNode c = TestServer.json(clicks);
    assertThat(c.get("observed").asLong()).isZero();
    assertThat(c.get("discrepancy").asBoolean()).isTrue();
    JsonNode entry = server.context.audit().entry(c.get("ledgerIndex").asLong());
    assertThat(entry.get("action").asText()).isEqualTo("report_filed");
    assertThat(entry.get("detail").get("discrepancy").asText()).isEqualTo("true");

    var again =
        file(streamflix, "{\"metric\":\"recipient_clicks\",\"period\":\"2026-10\",\"value\":0}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("`period`");

    // the regulator sees both; tunely sees none of streamflix's
    var rita = server.session();
    rita.login("rita");
    assertThat(TestServer.json(rita.get("/api/v1/reports")).toString())
        .contains("recipient_clicks", "recommendation_sends");
    assertThat(TestServer.json(server.getWithToken(server.token("tunely"), "/api/v1/reports")))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.get("partner").asText()).isEqualTo("tunely"));
  }

  @Test
  void refusesBadFilingsNamingTheFieldAndStoresNothing() throws Exception {
    int before = count();
    String[][] bad = {
      {"{\"metric\":\"likes\",\"period\":\"2026-10\",\"value\":1}", "`metric`"},
      {"{\"metric\":\"recommendation_sends\",\"period\":\"2026-13\",\"value\":1}", "`period`"},
      {"{\"metric\":\"recommendation_sends\",\"period\":\"2026-Q3\",\"value\":1}", "`period`"},
      {"{\"metric\":\"recommendation_sends\",\"period\":\"2026-11\",\"value\":1}", "`period`"},
      {"{\"metric\":\"recommendation_sends\",\"period\":\"2999-01\",\"value\":1}", "`period`"},
      {"{\"metric\":\"recommendation_sends\",\"period\":\"2010-01\",\"value\":1}", "`period`"},
      {"{\"metric\":\"recommendation_sends\",\"period\":\"2026-10\",\"value\":-1}", "`value`"},
      {
        "{\"metric\":\"recommendation_sends\",\"period\":\"2026-10\",\"value\":1000000000000000}",
        "`value`"
      },
      {
        "{\"metric\":\"recommendation_sends\",\"period\":\"2026-10\",\"value\":\"many\"}", "`value`"
      },
      {
        "{\"metric\":\"recommendation_sends\",\"period\":\"2026-10\",\"value\":10,"
            + "\"breakdown\":{\"DE\":3,\"US\":3}}",
        "`breakdown`"
      },
      {
        "{\"metric\":\"recommendation_sends\",\"period\":\"2026-10\",\"value\":3,"
            + "\"breakdown\":{\"XX\":3}}",
        "`breakdown`"
      },
    };
    for (String[] b : bad) {
      var r = file(streamflix, b[0]);
      assertThat(r.statusCode()).as(b[0] + " -> " + r.body()).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
      assertThat(r.body()).as(b[0]).contains(b[1]);
    }
    // seekr's agreement asks for no reports
    var seekr =
        file(
            server.token("seekr"),
            "{\"metric\":\"recommendation_sends\",\"period\":\"2026-10\",\"value\":1}");
    assertThat(seekr.statusCode()).isEqualTo(400);
    assertThat(count()).isEqualTo(before);
  }
}
