package org.datapact.server.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecisionApiTest {
  static TestServer server;
  static String watch;
  static String ads;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.demo();
    watch = server.token("watch");
    ads = server.token("ads");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> tokenRequest(String body, String basic) throws Exception {
    var b =
        HttpRequest.newBuilder(server.uri("/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded");
    if (basic != null) {
      b.header("Authorization", "Basic " + basic);
    }
    return HttpClient.newHttpClient()
        .send(
            b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void issuesATokenForClientCredentialsInTheForm() throws Exception {
    var r =
        tokenRequest(
            "grant_type=client_credentials&client_id="
                + server.clientIdOf("ranking")
                + "&client_secret="
                + server.secretOf("ranking"),
            null);
    assertThat(r.statusCode()).isEqualTo(200);
    var body = TestServer.json(r);
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asInt()).isEqualTo(900);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void aWrongSecretAndAnUnknownClientGetTheSameAnswer() throws Exception {
    var wrong =
        tokenRequest(
            "grant_type=client_credentials&client_id="
                + server.clientIdOf("ads")
                + "&client_secret=nope",
            null);
    var unknown =
        tokenRequest(
            "grant_type=client_credentials&client_id=mallory-app&client_secret=nope", null);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(wrong).get("detail"))
        .isEqualTo(TestServer.json(unknown).get("detail"));
  }

  @Test
  void aTokenRequestNeedsTheClientCredentialsGrant() throws Exception {
    var r = tokenRequest("grant_type=password", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(r).get("detail").asText())
        .contains("`grant_type` must be `client_credentials`");
  }

  @Test
  void refusesLabelsAUnitDeclaresItself() throws Exception {
    // the attacker's case: a unit that names its own labels could leave the partner's out
    var r =
        server.postWithToken(
            watch,
            "/api/v1/decisions",
            """
        {"labels":[{"source":"platform","category":"contact","jurisdiction":"US"}],
         "scope":"data.use","purpose":"recommendations"}""");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(r).get("detail").asText())
        .startsWith("`labels` are not accepted")
        .contains("/api/v1/units/users/{userId}/signals")
        .contains("`segment`");
    assertThat(r.headers().firstValue("X-DataPact-Ledger-Index")).isEmpty();
  }

  @Test
  void watchAskingAboutAUserIsDecidedOnTheirFirstPartyData() throws Exception {
    var r =
        server.postWithToken(
            watch,
            "/api/v1/decisions",
            "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"recommendations\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    var d = TestServer.json(r);
    assertThat(d.get("policyHash").asText()).hasSize(64);
    assertThat(d.get("reasons").toString()).doesNotContain("not-for-watch");
  }

  @Test
  void adsMayTargetAliceWithHerConsent() throws Exception {
    var d =
        TestServer.json(
            server.postWithToken(
                ads,
                "/api/v1/decisions",
                "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}"));
    assertThat(d.get("effect").asText()).isEqualTo("allow");
    assertThat(d.get("agreementVersion").asText()).isEqualTo("internal-data-use@1");
  }

  @Test
  void theUnitIsTheTokensNotTheBodys() throws Exception {
    var r =
        server.postWithToken(
            watch,
            "/api/v1/decisions",
            "{\"principal\":\"ads\",\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(r).get("detail").asText()).contains("unknown field `principal`");
  }

  @Test
  void malformedRequestsGetPreciseProblems() throws Exception {
    var unknownScope =
        server.postWithToken(
            ads,
            "/api/v1/decisions",
            "{\"subject\":1,\"scope\":\"data.sell\",\"purpose\":\"ad_targeting\"}");
    assertThat(unknownScope.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(unknownScope).get("detail").asText())
        .startsWith("unknown scope `data.sell`");
    var noPurpose =
        server.postWithToken(ads, "/api/v1/decisions", "{\"subject\":1,\"scope\":\"data.use\"}");
    assertThat(TestServer.json(noPurpose).get("detail").asText())
        .isEqualTo("`purpose` is required, e.g. `recommendations`");
    var wrongType =
        server.postWithToken(
            ads,
            "/api/v1/decisions",
            "{\"subject\":\"alice\",\"scope\":\"data.use\",\"purpose\":\"ranking\"}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(wrongType).get("detail").asText()).contains("`subject`");
    var nothing =
        server.postWithToken(
            ads, "/api/v1/decisions", "{\"scope\":\"data.use\",\"purpose\":\"ranking\"}");
    assertThat(TestServer.json(nothing).get("detail").asText()).contains("name a `subject`");
    var badSegment =
        server.postWithToken(
            ads,
            "/api/v1/decisions",
            "{\"segment\":\"x\",\"scope\":\"data.use\",\"purpose\":\"ranking\"}");
    assertThat(TestServer.json(badSegment).get("detail").asText()).startsWith("`segment`");
  }

  @Test
  void onlyUnitsMayAsk() throws Exception {
    String partnerApp = server.token("streamflix");
    assertThat(
            server
                .postWithToken(
                    partnerApp,
                    "/api/v1/decisions",
                    "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ranking\"}")
                .statusCode())
        .isEqualTo(403);
    var noToken =
        server
            .session()
            .post(
                "/api/v1/decisions",
                "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ranking\"}");
    assertThat(noToken.statusCode()).isEqualTo(401);
    var forged =
        server.postWithToken(
            ads.substring(0, ads.length() - 4) + "AAAA",
            "/api/v1/decisions",
            "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ranking\"}");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    var operator = server.session();
    operator.login("oscar");
    assertThat(
            operator
                .post(
                    "/api/v1/decisions",
                    "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ranking\"}")
                .statusCode())
        .isEqualTo(403);
  }

  private static final String STREAMFLIX_FOR_ADS =
      """
      {"subject":1,"scope":"data.use","purpose":"ad_targeting"%s}""";

  /** A what-if may name labels: it asks about a hypothetical dataset and authorizes nothing. */
  private static final String STREAMFLIX_LABELS_FOR_ADS =
      """
      {"labels":[{"source":"streamflix","category":"video_viewing","jurisdiction":"US"}],
       "scope":"data.use","purpose":"ad_targeting"%s}""";

  @Test
  void refusesAUnitThatDatesItsOwnRequest() throws Exception {
    var backdated =
        server.postWithToken(
            ads,
            "/api/v1/decisions",
            STREAMFLIX_FOR_ADS.formatted(",\"at\":\"2012-06-01T00:00:00Z\""));
    assertThat(backdated.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(backdated).get("type").asText())
        .isEqualTo("urn:datapact:problem:invalid-input");
    assertThat(TestServer.json(backdated).get("detail").asText())
        .startsWith("`at` is not accepted")
        .contains("what-if");
    var now =
        TestServer.json(
            server.postWithToken(ads, "/api/v1/decisions", STREAMFLIX_FOR_ADS.formatted("")));
    assertThat(now.get("effect").asText()).isEqualTo("allow"); // alice consented in 2012
  }

  @Test
  void whatIfDecidesAtAPastTimeForOperatorsAndRegulatorsAndIsLedgeredAsWhatIf() throws Exception {
    var operator = server.session();
    operator.login("oscar");
    String body =
        STREAMFLIX_LABELS_FOR_ADS.formatted(
            ",\"principal\":\"ads\",\"at\":\"2012-06-01T00:00:00Z\"");
    var r = operator.post("/api/v1/decisions/what-if", body);
    assertThat(r.statusCode()).isEqualTo(200);
    var d = TestServer.json(r);
    assertThat(d.get("whatIf").asBoolean()).isTrue();
    assertThat(d.get("at").asText()).isEqualTo("2012-06-01T00:00:00Z");
    long index = Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
    var entry = server.context.audit().entry(index);
    assertThat(entry.get("whatIf").asBoolean()).isTrue();
    assertThat(entry.get("askedBy").asText()).isEqualTo("operator:oscar");
    assertThat(entry.get("at").asText()).isEqualTo("2012-06-01T00:00:00Z");

    var regulator = server.session();
    regulator.login(
        server.cast.staff().stream()
            .filter(s -> s.role().wireName().equals("regulator"))
            .findFirst()
            .orElseThrow()
            .handle());
    assertThat(regulator.post("/api/v1/decisions/what-if", body).statusCode()).isEqualTo(200);
    // a unit cannot reach it: its decisions authorize, and they are made now
    assertThat(server.postWithToken(ads, "/api/v1/decisions/what-if", body).statusCode())
        .isEqualTo(403);
    var future =
        operator.post(
            "/api/v1/decisions/what-if",
            STREAMFLIX_LABELS_FOR_ADS.formatted(
                ",\"principal\":\"ads\",\"at\":\"2999-01-01T00:00:00Z\""));
    assertThat(future.statusCode()).isEqualTo(400);
  }
}
