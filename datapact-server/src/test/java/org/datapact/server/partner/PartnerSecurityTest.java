package org.datapact.server.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.TreeSet;
import org.datapact.core.party.PartyId;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.datapact.server.http.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Isolation between partners, token checks and bad input on every partner endpoint: never a 500.
 */
class PartnerSecurityTest extends DemoServerTest {
  static String streamflix;
  static String tunely;

  @BeforeAll
  static void tokens() throws Exception {
    streamflix = server.token("streamflix");
    tunely = server.token("tunely");
  }

  /** Every partner read endpoint for a user id, with a purpose. */
  static List<String> reads(String user) {
    return List.of(
        "/api/v1/users/" + user + "/profile?purpose=recommendations",
        "/api/v1/users/" + user + "/friends?purpose=recommendations",
        "/api/v1/users/" + user + "/inbox/threads?purpose=recommendations",
        "/api/v1/users/" + user + "/inbox/threads/1/messages?purpose=recommendations");
  }

  static HttpResponse<String> send(String method, String token, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertProblem(HttpResponse<String> r, int status, String type) throws Exception {
    assertThat(r.statusCode()).as(r.uri() + " " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(TestServer.json(r).get("type").asText())
        .as(r.uri().toString())
        .isEqualTo("urn:datapact:problem:" + type);
  }

  @Test
  void onePartnersIdsMeanNothingToAnother() throws Exception {
    String aliceForStreamflix = server.partnerId("streamflix", 1);
    for (String path : reads(aliceForStreamflix)) {
      assertProblem(send("GET", tunely, path, null), 404, "not-found");
    }
    assertProblem(
        send(
            "POST",
            tunely,
            "/api/v1/activity?purpose=recommendations",
            "{\"user\":\""
                + aliceForStreamflix
                + "\",\"category\":\"video_viewing\",\"signal\":{\"g\":1}}"),
        404,
        "not-found");
    assertProblem(
        send(
            "POST",
            tunely,
            "/api/v1/users/" + aliceForStreamflix + "/messages?purpose=recommendations",
            "{\"to\":[\"" + aliceForStreamflix + "\"],\"text\":\"hi\"}"),
        404,
        "not-found");
  }

  @Test
  void aPartnerGetsNothingBeyondItsAgreement() throws Exception {
    String alice = server.partnerId("tunely", 1);
    // tunely's agreement covers sending messages, not reading friends, inboxes or profiles
    for (String path : reads(alice)) {
      var r = send("GET", tunely, path, null);
      assertThat(r.statusCode()).as(path + " " + r.body()).isIn(403, 404);
      assertThat(r.body()).doesNotContain("displayName").doesNotContain("\"body\"");
    }
    // streamflix cannot read a thread its app did not take part in, even by guessing ids
    String bob = server.partnerId("streamflix", 2);
    var threads =
        TestServer.json(
            send(
                "GET",
                streamflix,
                "/api/v1/users/" + bob + "/inbox/threads?purpose=recommendations",
                null));
    java.util.Set<String> released = new TreeSet<>();
    threads.get("data").forEach(t -> released.add(t.get("id").asText()));
    List<Long> others =
        server
            .db
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT t.id FROM inbox_thread t JOIN thread_participant p"
                                + " ON p.thread_id = t.id WHERE p.user_id = 2 AND (t.via_party IS NULL OR t.via_party <> 'streamflix')")
                        .mapTo(Long.class)
                        .list());
    for (long other : others.subList(0, Math.min(5, others.size()))) {
      assertThat(released).doesNotContain(Long.toString(other));
      assertProblem(
          send(
              "GET",
              streamflix,
              "/api/v1/users/"
                  + bob
                  + "/inbox/threads/"
                  + other
                  + "/messages?purpose=recommendations",
              null),
          404,
          "not-found");
    }
    // and not another user's thread through bob
    List<Long> notBobs =
        server
            .db
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT t.id FROM inbox_thread t WHERE t.via_party = 'streamflix'"
                                + " AND NOT EXISTS (SELECT 1 FROM thread_participant p WHERE p.thread_id = t.id AND p.user_id = 2) FETCH FIRST 3 ROWS ONLY")
                        .mapTo(Long.class)
                        .list());
    for (long t : notBobs) {
      assertProblem(
          send(
              "GET",
              streamflix,
              "/api/v1/users/" + bob + "/inbox/threads/" + t + "/messages?purpose=recommendations",
              null),
          404,
          "not-found");
    }
  }

  @Test
  void wrongExpiredAndForgedTokensAre401AndMissingScopeIs403() throws Exception {
    String path = reads(server.partnerId("streamflix", 1)).get(0);
    assertProblem(send("GET", null, path, null), 401, "unauthenticated");
    assertProblem(send("GET", "not-a-token", path, null), 401, "unauthenticated");
    String[] parts = streamflix.split("\\.");
    String forgedClaims =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(
                        java.util.Base64.getUrlDecoder().decode(parts[1]),
                        java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\"streamflix\"", "\"tunely\"")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertProblem(
        send("GET", parts[0] + "." + forgedClaims + "." + parts[2], path, null),
        401,
        "unauthenticated");
    var past =
        new org.datapact.server.oauth.AccessTokens(
            new byte[32],
            java.time.Clock.fixed(
                java.time.Instant.parse("2020-01-01T00:00:00Z"), java.time.ZoneOffset.UTC));
    String expired =
        past.issue(
            "streamflix-app",
            PartyId.of("streamflix"),
            Role.PARTNER_APP,
            new TreeSet<>(List.of("profile.basic")));
    assertProblem(send("GET", expired, path, null), 401, "unauthenticated");
    // a valid token without the scope: the agreement would allow, the token does not
    String scopeless =
        server
            .context
            .accessTokens()
            .issue(
                "streamflix-app",
                PartyId.of("streamflix"),
                Role.PARTNER_APP,
                new TreeSet<>(List.of("friends.list")));
    var r = send("GET", scopeless, path, null);
    assertProblem(r, 403, "forbidden");
    assertThat(TestServer.json(r).get("detail").asText())
        .contains("lacks the scope `profile.basic`");
    var listing = send("GET", scopeless, "/api/v1/connections?purpose=recommendations", null);
    assertProblem(listing, 403, "forbidden");
    assertThat(listing.body()).doesNotContain("u_");
    // a unit's token is not a partner's, and a partner's token cannot ask the decision point
    assertProblem(send("GET", server.token("ads"), path, null), 403, "forbidden");
    assertProblem(
        send(
            "POST",
            streamflix,
            "/api/v1/decisions",
            "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ranking\"}"),
        403,
        "forbidden");
  }

  @Test
  void theTokenCarriesTheScopesOfTheActiveAgreementOnly() throws Exception {
    var r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri("/oauth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "grant_type=client_credentials&client_id=seekr-app&client_secret="
                                + server.secretOf("seekr")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(TestServer.json(r).get("scope").asText()).isEqualTo("profile.basic");
    String sf =
        TestServer.json(
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(server.uri("/oauth/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(
                                HttpRequest.BodyPublishers.ofString(
                                    "grant_type=client_credentials&client_id=streamflix-app&client_secret="
                                        + server.secretOf("streamflix")))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
            .get("scope")
            .asText();
    assertThat(sf.split(" "))
        .contains("friends.list", "inbox.read", "messages.send", "activity.write", "profile.basic");
  }

  @Test
  void badInputIsA400WithAPreciseProblemNeverA500() throws Exception {
    String alice = server.partnerId("streamflix", 1);
    String friend =
        TestServer.json(
                send(
                    "GET",
                    streamflix,
                    "/api/v1/users/" + alice + "/friends?purpose=recommendations",
                    null))
            .get("data")
            .get(0)
            .get("id")
            .asText();
    String send = "/api/v1/users/" + alice + "/messages?purpose=recommendations";
    java.util.Set<Long> friends = new java.util.HashSet<>();
    new org.datapact.store.user.UserRepository(server.db)
        .friends(org.datapact.core.user.UserId.of(1), 0, Integer.MAX_VALUE)
        .forEach(f -> friends.add(f.id().value()));
    long stranger =
        java.util.stream.LongStream.rangeClosed(2, 300)
            .filter(u -> !friends.contains(u))
            .findFirst()
            .orElseThrow();
    Object[][] cases = {
      {"GET", "/api/v1/users/" + alice + "/profile", null, "`purpose` is required"},
      {
        "GET",
        "/api/v1/users/" + alice + "/profile?purpose=world_domination",
        null,
        "world_domination"
      },
      {
        "GET",
        "/api/v1/users/u_'%20OR%201=1--/profile?purpose=recommendations",
        null,
        "a user id is `u_`"
      },
      {"GET", "/api/v1/users/1/profile?purpose=recommendations", null, "a user id is `u_`"},
      {
        "GET",
        "/api/v1/users/..%2F..%2Fetc%2Fpasswd/profile?purpose=recommendations",
        null,
        "a user id is `u_`"
      },
      {
        "GET",
        "/api/v1/users/" + alice + "/friends?purpose=recommendations&limit=0",
        null,
        "`limit`"
      },
      {
        "GET",
        "/api/v1/users/" + alice + "/friends?purpose=recommendations&limit=1000",
        null,
        "`limit`"
      },
      {
        "GET",
        "/api/v1/users/" + alice + "/friends?purpose=recommendations&cursor=xyz",
        null,
        "`cursor`"
      },
      {
        "GET",
        "/api/v1/users/" + alice + "/inbox/threads/1%20OR%201=1/messages?purpose=recommendations",
        null,
        "thread id"
      },
      {
        "GET",
        "/api/v1/connections?purpose=recommendations&cursor=%27%3B%20DROP%20TABLE%20app_user%3B--",
        null,
        "`cursor`"
      },
      {"POST", send, "{not json", "JSON"},
      {"POST", send, "{\"to\":\"" + friend + "\",\"text\":\"hi\"}", "to"},
      {"POST", send, "{\"to\":[\"" + friend + "\"],\"text\":\"hi\",\"admin\":true}", "admin"},
      {"POST", send, "{\"to\":[],\"text\":\"hi\"}", "`to` lists 1 to 50"},
      {"POST", send, "{\"to\":[\"" + friend + "\"],\"text\":\"\"}", "`text`"},
      {
        "POST",
        send,
        "{\"to\":[\"" + friend + "\"],\"text\":\"see https://evil.test/x\"}",
        "outside the domains"
      },
      {
        "POST",
        send,
        "{\"to\":[\"" + friend + "\"],\"text\":\"see HTTPS://evil.test/x\"}",
        "outside the domains"
      },
      {
        "POST",
        send,
        "{\"to\":[\"" + friend + "\"],\"text\":\"see https://streamflix.example.evil.test/x\"}",
        "outside the domains"
      },
      {
        "POST",
        "/api/v1/activity?purpose=recommendations",
        "{\"user\":\"" + alice + "\",\"category\":\"nonsense\",\"signal\":{\"a\":1}}",
        "nonsense"
      },
      {
        "POST",
        "/api/v1/activity?purpose=recommendations",
        "{\"user\":\"" + alice + "\",\"category\":\"video_viewing\",\"signal\":[1]}",
        "`signal`"
      },
      {
        "POST",
        "/api/v1/activity?purpose=recommendations",
        "{\"user\":42,\"category\":\"video_viewing\",\"signal\":{\"a\":1}}",
        "`user`"
      },
    };
    for (Object[] c : cases) {
      var r = send((String) c[0], streamflix, (String) c[1], (String) c[2]);
      assertThat(r.statusCode()).as(c[1] + " " + c[2] + " → " + r.body()).isEqualTo(400);
      assertProblem(r, 400, "invalid-input");
      assertThat(TestServer.json(r).get("detail").asText())
          .as((String) c[1])
          .contains((String) c[3]);
    }
    // a stranger, and a friend who has not consented to streamflix (dave): the same recorded
    // denial, never why
    long dave = 4;
    assertThat(friends).contains(dave);
    String[] bodies = {"", ""};
    long[] refused = {stranger, dave};
    for (int i = 0; i < 2; i++) {
      var r =
          send(
              "POST",
              streamflix,
              send,
              "{\"to\":[\"" + server.partnerId("streamflix", refused[i]) + "\"],\"text\":\"hi\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
      long index = Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
      assertThat(
              org.datapact.server.ledger.LedgerEntries.parse(
                      server.context.mapper(), server.ledger.log().entry(index))
                  .get("effect")
                  .asText())
          .isEqualTo("deny");
      bodies[i] =
          TestServer.json(r)
              .get("decision")
              .get("reasons")
              .get(0)
              .get("detail")
              .asText()
              .replace(server.partnerId("streamflix", refused[i]), "X");
    }
    assertThat(bodies[0])
        .isEqualTo(bodies[1])
        .doesNotContain("not a friend")
        .doesNotContain("consent to");
    var huge =
        send(
            "POST",
            streamflix,
            send,
            "{\"to\":[\"" + friend + "\"],\"text\":\"" + "x".repeat(70_000) + "\"}");
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(TestServer.json(huge).get("type").asText())
        .isEqualTo("urn:datapact:problem:payload-too-large");
    // nothing above ever answered 500; the server is still well
    assertThat(
            send(
                    "GET",
                    streamflix,
                    "/api/v1/users/" + alice + "/profile?purpose=recommendations",
                    null)
                .statusCode())
        .isEqualTo(200);
  }
}
