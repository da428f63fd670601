package org.datapact.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.datapact.server.MovableClock;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A missed report bites on DataPact's clock: the demo first starts on 2026-11-03 with every
 * streamflix report filed through September; October's are due on 2026-11-11 and, five days' grace
 * later, suspend the inbox the Extended API reads until both are filed. The partner is told why in
 * the refusal, and the portal's duties list says the same.
 */
class DutiesThatBiteApiTest {
  TestServer server;
  MovableClock clock;

  @BeforeEach
  void start() throws Exception {
    clock = new MovableClock(Instant.parse("2026-11-03T12:00:00Z"));
    server = TestServer.demoAt(clock);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private java.net.http.HttpResponse<String> readBobsInbox() throws Exception {
    String bob = server.partnerId("streamflix", 2);
    return server.getWithToken(
        server.token("streamflix"),
        "/api/v1/users/" + bob + "/inbox/threads?purpose=recommendations");
  }

  @Test
  void missedReportSuspendsInboxReadAfterTheGraceAndFilingRestoresIt() throws Exception {
    assertThat(readBobsInbox().statusCode()).isEqualTo(200);

    clock.advanceTo(Instant.parse("2026-11-15T23:00:00Z")); // due, not yet past the grace
    assertThat(readBobsInbox().statusCode()).isEqualTo(200);

    clock.advanceTo(Instant.parse("2026-11-16T00:00:01Z"));
    var refused = readBobsInbox();
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    assertThat(refused.body())
        .contains("duty_overdue", "2026-10", "until it is filed")
        .doesNotContain("Exception");
    var index = java.util.regex.Pattern.compile("ledger entry (\\d+)").matcher(refused.body());
    assertThat(index.find()).isTrue();
    var replay =
        org.datapact.server.ledger.LedgerReplay.replay(
            server.ledgerDir, Long.parseLong(index.group(1)), server.context.mapper());
    assertThat(replay.outcome())
        .as("the log alone explains the refusal: " + replay.message())
        .isEqualTo(org.datapact.server.ledger.LedgerReplay.Outcome.MATCH);

    String streamflix = server.token("streamflix");
    var sends =
        server.postWithToken(
            streamflix,
            "/api/v1/reports",
            "{\"metric\":\"recommendation_sends\",\"period\":\"2026-10\",\"value\":0}");
    assertThat(sends.statusCode()).as(sends.body()).isEqualTo(201);
    assertThat(readBobsInbox().statusCode())
        .as("the clicks report is still missing")
        .isEqualTo(403);

    var clicks =
        server.postWithToken(
            streamflix,
            "/api/v1/reports",
            "{\"metric\":\"recipient_clicks\",\"period\":\"2026-10\",\"value\":0}");
    assertThat(clicks.statusCode()).as(clicks.body()).isEqualTo(201);
    assertThat(readBobsInbox().statusCode()).as("filing restores access at once").isEqualTo(200);
  }

  @Test
  void aReportFiledOnOneNodeIsInTheOtherNodesShardBeforeItDecidesOnIt() throws Exception {
    try (TestServer other = TestServer.alongside(server, clock)) {
      clock.advanceTo(Instant.parse("2026-11-16T00:00:01Z")); // October's reports overdue
      String streamflix = server.token("streamflix");
      for (String metric : java.util.List.of("recommendation_sends", "recipient_clicks")) {
        var filed =
            server.postWithToken(
                streamflix,
                "/api/v1/reports",
                "{\"metric\":\"" + metric + "\",\"period\":\"2026-10\",\"value\":0}");
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
      }
      String bob = other.partnerId("streamflix", 2);
      String inbox = "/api/v1/users/" + bob + "/inbox/threads?purpose=recommendations";
      String token = other.token("streamflix");
      var read =
          org.datapact.server.cluster.ChangeFeed.await(
              java.time.Duration.ofSeconds(3),
              () -> {
                try {
                  return other.getWithToken(token, inbox);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              r -> r.statusCode() == 200);
      assertThat(read.statusCode()).as("the other node learns of the filings").isEqualTo(200);
      long index =
          Long.parseLong(read.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
      var replay =
          org.datapact.server.ledger.LedgerReplay.replay(
              other.ledgerDir, index, other.context.mapper());
      assertThat(replay.outcome())
          .as("the other node's shard alone explains its allow: " + replay.message())
          .isEqualTo(org.datapact.server.ledger.LedgerReplay.Outcome.MATCH);
    }
  }

  @Test
  void theDutiesListShowsTheOverdueDutyAndWhatItSuspends() throws Exception {
    clock.advanceTo(Instant.parse("2026-11-20T00:00:00Z"));
    JsonNode duties =
        TestServer.json(server.getWithToken(server.token("streamflix"), "/api/v1/duties"));
    JsonNode sends = null;
    for (JsonNode d : duties) {
      assertThat(d.get("partner").asText()).isEqualTo("streamflix");
      if (d.get("duty").asText().equals("report-sends")) {
        sends = d;
      }
    }
    assertThat(sends).isNotNull();
    assertThat(sends.get("status").asText()).isEqualTo("suspending");
    assertThat(sends.get("report").get("missing").get(0).asText()).isEqualTo("2026-10");
    assertThat(sends.get("suspends").toString()).contains("inbox", "send");
    assertThat(sends.get("report").get("suspendedSince").asText()).startsWith("2026-11-16");

    // the demo's own overdue duty: tunely never filed its latest report
    var rita = server.session();
    rita.login("rita");
    JsonNode all = TestServer.json(rita.get("/api/v1/duties"));
    assertThat(all.toString()).contains("\"partner\":\"tunely\"");
    boolean tunelySuspended = false;
    for (JsonNode d : all) {
      if (d.get("partner").asText().equals("tunely")
          && d.get("status").asText().equals("suspending")) {
        tunelySuspended = true;
      }
    }
    assertThat(tunelySuspended).isTrue();
  }
}
