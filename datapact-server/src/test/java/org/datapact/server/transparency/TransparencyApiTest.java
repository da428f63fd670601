package org.datapact.server.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.datapact.ledger.log.LogReader;
import org.datapact.server.MovableClock;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransparencyApiTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.demoAt(clock);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private int readProfiles(int times) throws Exception {
    int allowed = 0;
    for (int i = 0; i < times; i++) {
      if (server.partnerReadsProfile("streamflix", 1).statusCode() == 200) {
        allowed++;
      }
      clock.advance(Duration.ofSeconds(2)); // under the partner's per-second quota
    }
    return allowed;
  }

  private static HttpResponse<String> anonymous(TestServer server, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(server.uri(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void countsExactlyTheAllowedPartnerReleasesOfThePeriodFromTheLedger() throws Exception {
    int allowed = readProfiles(25);
    assertThat(allowed).isEqualTo(25);
    // a what-if and a denial are in the ledger too, and are not releases
    var rita = server.session();
    rita.login("rita");
    var whatIf =
        rita.post(
            "/api/v1/decisions/what-if",
            "{\"principal\":\"streamflix\",\"subject\":1,\"scope\":\"profile.basic\","
                + "\"purpose\":\"recommendations\",\"at\":\"2026-11-10T12:00:00Z\"}");
    assertThat(whatIf.statusCode()).as(whatIf.body()).isEqualTo(200);
    assertThat(server.partnerReadsProfile("streamflix", 4).statusCode()).isEqualTo(403); // dave
    var ledger = server.context.ledger();
    long size = ledger.log().size();
    try (LogReader log = LogReader.open(ledger.directory().resolve("log"))) {
      var counts =
          ReleaseCounter.count(
              log,
              ledger.subjects(),
              Instant.parse("2026-11-01T00:00:00Z"),
              Instant.parse("2026-12-01T00:00:00Z"),
              size,
              2);
      assertThat(counts.counts().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(allowed);
      assertThat(counts.partners()).contains("streamflix", "tunely", "seekr");
      var october =
          ReleaseCounter.count(
              log,
              ledger.subjects(),
              Instant.parse("2026-10-01T00:00:00Z"),
              Instant.parse("2026-11-01T00:00:00Z"),
              size,
              1);
      assertThat(october.counts()).isEmpty();
    }
  }

  @Test
  void publishesNoisedCellsLedgeredAndRefusesOnceTheBudgetIsSpent() throws Exception {
    int allowed = readProfiles(60);
    clock.advanceTo(Instant.parse("2026-12-02T09:00:00Z"));
    var oscar = server.session();
    oscar.login("oscar");
    var published =
        oscar.post("/api/v1/transparency/releases", "{\"period\":\"2026-11\",\"epsilon\":\"1\"}");
    assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
    JsonNode r = TestServer.json(published);
    assertThat(r.get("complete").asBoolean()).isTrue();
    assertThat(r.get("epsilon").asText()).isEqualTo("1");
    JsonNode cells = r.get("cells");
    long sum = 0;
    for (JsonNode c : cells) {
      assertThat(c.get("releases").asLong()).isGreaterThanOrEqualTo(20); // suppressed never appear
      if (c.get("partner").asText().equals("streamflix")
          && c.get("scope").asText().equals("profile.basic")) {
        sum += c.get("releases").asLong();
      }
    }
    // one cell of 60 releases with noise of scale 1: within ±20 with probability 1 - 2e-9
    assertThat(sum).isBetween(allowed - 20L, allowed + 20L);

    // the ledger holds the release, bound to its cells by their hash
    JsonNode entry =
        TestServer.json(
            loginRegulator().get("/api/v1/ledger/entries/" + r.get("ledgerIndex").asLong()));
    assertThat(entry.get("action").asText()).isEqualTo("transparency_published");
    assertThat(entry.get("detail").get("cellsSha256").asText())
        .isEqualTo(r.get("cellsSha256").asText());
    assertThat(entry.get("detail").get("epsilon").asText()).isEqualTo("1");

    // anyone reads it, as JSON or CSV, without signing in
    String id = r.get("id").asText();
    var page = anonymous(server, "/api/v1/transparency/releases/" + id);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(page).get("cells")).isEqualTo(cells); // the same draw, not a new one
    var csv = anonymous(server, "/api/v1/transparency/releases/" + id + "?format=csv");
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body()).startsWith("period,partner,scope,purpose,country,releases\n");
    assertThat(csv.body().lines().count()).isEqualTo(cells.size() + 1L);
    JsonNode overview = TestServer.json(anonymous(server, "/api/v1/transparency"));
    assertThat(overview.get("budgets").get(0).get("year").asInt()).isEqualTo(2026);
    assertThat(overview.get("budgets").get(0).get("spent").asText()).isEqualTo("1");
    assertThat(overview.get("budgets").get(0).get("remaining").asText()).isEqualTo("0");

    // 2026's budget is spent: another release about 2026 is refused, and nothing is ledgered
    long before = server.context.ledger().log().size();
    var refused =
        oscar.post("/api/v1/transparency/releases", "{\"period\":\"2026\",\"epsilon\":\"0.001\"}");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("privacy budget of 2026 is 1 and 1 of it is spent");
    assertThat(server.context.ledger().log().size()).isEqualTo(before);
    // 2025's is not
    assertThat(oscar.post("/api/v1/transparency/releases", "{\"period\":\"2025\"}").statusCode())
        .isEqualTo(201);
  }

  private TestServer.Session loginRegulator() throws Exception {
    var s = server.session();
    s.login("rita");
    return s;
  }

  @Test
  void onlyOperatorsPublishAndBadInputIsAProblem() throws Exception {
    var anonymous =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri("/api/v1/transparency/releases"))
                    .header("Content-Type", "application/json")
                    .header("Origin", server.origin())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"period\":\"2026\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    var alice = server.session();
    alice.login("alice");
    assertThat(alice.post("/api/v1/transparency/releases", "{\"period\":\"2026\"}").statusCode())
        .isEqualTo(403);
    var oscar = server.session();
    oscar.login("oscar");
    for (String body :
        new String[] {
          "{}",
          "{\"period\":\"2026-13\"}",
          "{\"period\":\"2027\"}",
          "{\"period\":\"2026\",\"epsilon\":\"0\"}",
          "{\"period\":\"2026\",\"epsilon\":\"11\"}",
          "{\"period\":\"2026\",\"epsilon\":true}"
        }) {
      var bad = oscar.post("/api/v1/transparency/releases", body);
      assertThat(bad.statusCode()).as(body).isEqualTo(400);
      assertThat(bad.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
    }
    assertThat(anonymous(server, "/api/v1/transparency/releases/nope").statusCode()).isEqualTo(404);
    var redirect = anonymous(server, "/transparency");
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location")).hasValue("/#/transparency");
    assertThat(URI.create(server.origin())).isNotNull();
  }
}
