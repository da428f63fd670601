package org.datapact.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The partner-app authorization dialog with PKCE: a wrong verifier is refused, a partial grant
 * gives a token limited to it and bound to the user, revoking the consent ends it at the next call;
 * an unregistered redirect URI, a scope the agreement does not permit and a request without PKCE
 * are refused before any redirect.
 */
class AuthorizeApiTest extends DemoServerTest {
  static final String REDIRECT = "http://127.0.0.1:45123/callback";

  private static String query(Map<String, String> q) {
    StringBuilder sb = new StringBuilder();
    q.forEach(
        (k, v) ->
            sb.append(sb.length() == 0 ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return sb.toString();
  }

  private static Map<String, String> request(String scope, String challenge) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", server.clientIdOf("streamflix"));
    q.put("redirect_uri", REDIRECT);
    q.put("scope", scope);
    q.put("purpose", "recommendations");
    q.put("state", "s-42");
    q.put("code_challenge", challenge);
    q.put("code_challenge_method", "S256");
    return q;
  }

  /** Runs the dialog for alice and returns the code she is sent back with. */
  private static String codeFor(TestServer.Session alice, String challenge, String... granted)
      throws Exception {
    Map<String, String> q = request("friends.list profile.basic", challenge);
    var dialog = alice.get("/api/v1/oauth/request?" + query(q));
    assertThat(dialog.statusCode()).as(dialog.body()).isEqualTo(200);
    StringBuilder body = new StringBuilder("{");
    q.forEach((k, v) -> body.append('"').append(k).append("\":\"").append(v).append("\","));
    body.append("\"granted\":[");
    for (int i = 0; i < granted.length; i++) {
      body.append(i == 0 ? "" : ",").append('"').append(granted[i]).append('"');
    }
    body.append("]}");
    var decided = alice.post("/api/v1/oauth/authorize", body.toString());
    assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
    URI back = URI.create(TestServer.json(decided).get("redirect").asText());
    assertThat(back.toString()).startsWith(REDIRECT + "?code=").endsWith("&state=s-42");
    return back.getQuery().replaceAll("^code=([^&]+).*$", "$1");
  }

  private static HttpResponse<String> exchange(String code, String verifier) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (server.clientIdOf("streamflix") + ":" + server.secretOf("streamflix"))
                    .getBytes(StandardCharsets.UTF_8));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", REDIRECT);
    form.put("code_verifier", verifier);
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(server.uri("/oauth/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query(form)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPartialGrantGivesAUserBoundTokenLimitedToItAndRevokingEndsIt() throws Exception {
    var alice = server.session();
    alice.login("alice");
    String verifier = "a-verifier-of-more-than-forty-three-characters-" + System.nanoTime();
    String challenge = Authorizations.challengeOf(verifier);

    var dialog =
        TestServer.json(
            alice.get(
                "/api/v1/oauth/request?"
                    + query(request("friends.list profile.basic", challenge))));
    assertThat(dialog.get("agreement").asText()).isEqualTo("streamflix-partnership@4");
    assertThat(dialog.get("items").toString()).contains("your friends list", "your name");

    // a wrong verifier: refused, and the code is spent
    String spent = codeFor(alice, challenge, "friends.list");
    var wrong = exchange(spent, verifier + "x");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(wrong.body()).contains("invalid_grant");
    assertThat(exchange(spent, verifier).statusCode()).as("a code is good once").isEqualTo(400);

    String code = codeFor(alice, challenge, "friends.list");
    var token = exchange(code, verifier);
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    JsonNode t = TestServer.json(token);
    assertThat(t.get("scope").asText()).isEqualTo("friends.list");
    String bearer = t.get("access_token").asText();

    String aliceId = server.partnerId("streamflix", 1);
    String bobId = server.partnerId("streamflix", 2);
    assertThat(
            server
                .getWithToken(
                    bearer, "/api/v1/users/" + aliceId + "/friends?purpose=recommendations")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            server
                .getWithToken(
                    bearer, "/api/v1/users/" + aliceId + "/profile?purpose=recommendations")
                .statusCode())
        .as("not granted")
        .isEqualTo(403);
    assertThat(
            server
                .getWithToken(bearer, "/api/v1/users/" + bobId + "/friends?purpose=recommendations")
                .statusCode())
        .as("a user's token reads that user only")
        .isEqualTo(404);

    assertThat(alice.delete("/api/v1/me/consents/streamflix/recommendations").statusCode())
        .isEqualTo(204);
    var after =
        server.getWithToken(
            bearer, "/api/v1/users/" + aliceId + "/friends?purpose=recommendations");
    assertThat(after.statusCode()).as("revoking ends it at the next call").isEqualTo(403);
    assertThat(after.body()).contains("no_consent");
  }

  @Test
  void refusesBadRequestsBeforeAnyRedirect() throws Exception {
    String challenge = Authorizations.challengeOf("x".repeat(50));
    Map<String, String> evil = request("friends.list", challenge);
    evil.put("redirect_uri", "https://evil.example/callback");
    Map<String, String> wide = request("friends.list data.use", challenge);
    Map<String, String> noPkce = request("friends.list", challenge);
    noPkce.remove("code_challenge");
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    Map<Map<String, String>, String> bad = new LinkedHashMap<>();
    bad.put(evil, "`redirect_uri`");
    bad.put(wide, "`scope`");
    bad.put(noPkce, "`code_challenge`");
    for (var c : bad.entrySet()) {
      var r =
          client.send(
              HttpRequest.newBuilder(server.uri("/oauth/authorize?" + query(c.getKey()))).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(r.headers().firstValue("Location")).isEmpty();
      assertThat(r.body()).contains(c.getValue());
    }
    var good =
        client.send(
            HttpRequest.newBuilder(
                    server.uri("/oauth/authorize?" + query(request("friends.list", challenge))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(good.statusCode()).isEqualTo(302);
    assertThat(good.headers().firstValue("Location").orElse("")).startsWith("/#/authorize?");
  }
}
