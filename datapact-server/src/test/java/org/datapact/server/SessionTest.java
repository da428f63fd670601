package org.datapact.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionTest extends DemoServerTest {
  @Test
  void meNeedsASession() throws Exception {
    var r = server.session().get("/api/v1/me");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(r).get("type").asText())
        .isEqualTo("urn:datapact:problem:unauthenticated");
  }

  @Test
  void castListsTheDemoPeopleWithoutSecrets() throws Exception {
    var r = server.session().get("/api/v1/demo/cast");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains(
            "\"alice\"", "\"bob\"", "\"carol\"", "\"dave\"", "\"oscar\"", "\"rita\"", "\"sam\"")
        .doesNotContain("dps_")
        .doesNotContain("secret");
  }

  @Test
  void aliceSignsInAndSeesHerProfile() throws Exception {
    var s = server.session();
    var login = s.login("alice");
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.headers().allValues("Set-Cookie"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("dp_session=")
                    .containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Strict"));
    var me = TestServer.json(s.get("/api/v1/me"));
    assertThat(me.get("displayName").asText()).isEqualTo("Alice Martin");
    assertThat(me.get("role").asText()).isEqualTo("user");
    var profile = TestServer.json(s.get("/api/v1/me/profile"));
    assertThat(profile.get("country").asText()).isEqualTo("DE");
    assertThat(profile.get("friends").asInt()).isGreaterThan(5);
  }

  @Test
  void aUserMayNotSeeTheOperatorsWorldView() throws Exception {
    var s = server.session();
    s.login("alice");
    var r = s.get("/api/v1/world");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(TestServer.json(r).get("detail").asText())
        .isEqualTo("the user role may not use `/api/v1/world`");
  }

  @Test
  void operatorAndRegulatorSeeTheWorldInAggregate() throws Exception {
    for (String handle : new String[] {"oscar", "rita"}) {
      var s = server.session();
      s.login(handle);
      var w = TestServer.json(s.get("/api/v1/world"));
      assertThat(w.get("users").asInt()).isEqualTo(300);
      assertThat(w.get("parties")).hasSize(6);
      assertThat(w.toString()).doesNotContain("Alice");
    }
  }

  @Test
  void partnerStaffSeeOnlyTheirOwnPartner() throws Exception {
    var s = server.session();
    s.login("sam");
    var p = TestServer.json(s.get("/api/v1/partner/profile"));
    assertThat(p.get("party").asText()).isEqualTo("streamflix");
    assertThat(p.get("clientIds").toString()).contains("streamflix-app").doesNotContain("tunely");
    assertThat(s.get("/api/v1/me/profile").statusCode()).isEqualTo(403);
  }

  @Test
  void aForgedSessionCookieIsRefused() throws Exception {
    var s = server.session();
    var login = s.login("alice");
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    String token = cookie.substring("dp_session=".length(), cookie.indexOf(';'));
    String[] parts = token.split("\\.");
    String payload =
        new String(
                java.util.Base64.getUrlDecoder().decode(parts[1]),
                java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"role\":\"user\"", "\"role\":\"operator\"");
    String forged =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + "."
            + parts[2];
    var r =
        server
            .session()
            .send(
                java.net.http.HttpRequest.newBuilder(server.uri("/api/v1/world"))
                    .header("Cookie", "dp_session=" + forged)
                    .GET()
                    .build());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(r).get("detail").asText()).contains("signature");
  }

  @Test
  void signingOutEndsTheSession() throws Exception {
    var s = server.session();
    s.login("bob");
    assertThat(s.get("/api/v1/me").statusCode()).isEqualTo(200);
    assertThat(s.delete("/api/v1/session").statusCode()).isEqualTo(204);
    assertThat(s.get("/api/v1/me").statusCode()).isEqualTo(401);
  }

  @Test
  void serveModeHasNoDemoLogin() throws Exception {
    try (TestServer serve = TestServer.serve()) {
      var r = serve.session().login("alice");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(TestServer.json(r).get("detail").asText()).contains("datapact demo");
      assertThat(serve.session().get("/api/v1/demo/cast").statusCode()).isEqualTo(404);
    }
  }
}
