package org.datapact.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

class ConsentApiTest extends DemoServerTest {
  private static String rankingDecisionFor(long user, String purpose) throws Exception {
    return TestServer.json(
            server.postWithToken(
                server.token("ranking"),
                "/api/v1/decisions",
                "{\"subject\":"
                    + user
                    + ",\"scope\":\"data.use\",\"purpose\":\""
                    + purpose
                    + "\"}"))
        .get("effect")
        .asText();
  }

  @Test
  void aliceSeesHerConsentsAndWhatSheCanConsentTo() throws Exception {
    var s = server.session();
    s.login("alice");
    var c = TestServer.json(s.get("/api/v1/me/consents"));
    assertThat(c.get("jurisdiction").asText()).isEqualTo("EU");
    assertThat(c.get("explicitConsentRequired").asBoolean()).isTrue();
    assertThat(c.get("consents").toString())
        .contains("\"party\":\"streamflix\",\"topic\":\"recommendations\"");
    assertThat(c.get("options").toString())
        .contains("streamflix", "platform")
        .doesNotContain("video_sharing");
  }

  @Test
  void revokingTakesEffectForTheVeryNextDecisionAndGrantingRestoresIt() throws Exception {
    var s = server.session();
    s.login("bob");
    assertThat(rankingDecisionFor(2, "ranking")).isEqualTo("allow");
    assertThat(s.delete("/api/v1/me/consents/platform/ranking").statusCode()).isEqualTo(204);
    assertThat(rankingDecisionFor(2, "ranking")).isEqualTo("deny");
    var history = TestServer.json(s.get("/api/v1/me/consents")).get("history").toString();
    assertThat(history).contains("\"action\":\"grant\"", "\"action\":\"revoke\"");
    assertThat(s.put("/api/v1/me/consents/platform/ranking").statusCode()).isEqualTo(200);
    assertThat(rankingDecisionFor(2, "ranking")).isEqualTo("allow");
  }

  @Test
  void bobsVideoConsentLastsTwoYears() throws Exception {
    var s = server.session();
    s.login("bob");
    var options = TestServer.json(s.get("/api/v1/me/consents")).get("options").toString();
    assertThat(options).contains("video_sharing");
    var r = s.put("/api/v1/me/consents/streamflix/video_sharing");
    assertThat(r.statusCode()).isEqualTo(200);
    var grant = TestServer.json(r);
    Instant at = Instant.parse(grant.get("at").asText());
    assertThat(Instant.parse(grant.get("expiresAt").asText()))
        .isEqualTo(at.plus(Duration.ofDays(730)));
  }

  @Test
  void theVideoConsentDoesNotApplyToAnEuUser() throws Exception {
    var s = server.session();
    s.login("alice");
    var r = s.put("/api/v1/me/consents/streamflix/video_sharing");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(r).get("detail").asText())
        .contains("does not apply under `EU` rules");
  }

  @Test
  void unknownPurposesAndPartiesAreRefused() throws Exception {
    var s = server.session();
    s.login("carol");
    var purpose = s.put("/api/v1/me/consents/streamflix/profit");
    assertThat(purpose.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(purpose).get("detail").asText())
        .startsWith("unknown purpose `profit`");
    assertThat(s.put("/api/v1/me/consents/mallory/recommendations").statusCode()).isEqualTo(404);
    assertThat(s.put("/api/v1/me/consents/watch/recommendations").statusCode()).isEqualTo(404);
    assertThat(s.put("/api/v1/me/consents/..%2F..%2Fetc/recommendations").statusCode())
        .isIn(400, 404);
  }

  @Test
  void operatorsBrowseAnyUsersConsentsButUsersOnlyTheirOwn() throws Exception {
    var op = server.session();
    op.login("oscar");
    var r = op.get("/api/v1/users/4/consents");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(r).get("displayName").asText()).isEqualTo("Dave Moreau");
    assertThat(op.get("/api/v1/users/abc/consents").statusCode()).isEqualTo(400);
    assertThat(op.get("/api/v1/users/999999/consents").statusCode()).isEqualTo(404);
    var alice = server.session();
    alice.login("alice");
    assertThat(alice.get("/api/v1/users/4/consents").statusCode()).isEqualTo(403);
  }
}
