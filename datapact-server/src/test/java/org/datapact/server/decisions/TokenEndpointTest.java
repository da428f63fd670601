package org.datapact.server.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * {@code /oauth/token} bounds the work anyone can make it do, and speaks OAuth 2.0's error format.
 */
class TokenEndpointTest extends DemoServerTest {

  private static HttpResponse<String> attempt(String clientId, String secret) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(server.uri("/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id="
                            + clientId
                            + "&client_secret="
                            + secret))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void errorsCarryTheOauthErrorMembers() throws Exception {
    var wrong = attempt("nobody-" + System.nanoTime(), "x");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    var body = TestServer.json(wrong);
    assertThat(body.get("error").asText()).isEqualTo("invalid_client");
    assertThat(body.get("error_description").asText()).isEqualTo("invalid client credentials");
    assertThat(body.get("type").asText()).isEqualTo("urn:datapact:problem:unauthenticated");
    var grant =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri("/oauth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(TestServer.json(grant).get("error").asText()).isEqualTo("unsupported_grant_type");
  }

  @Test
  void repeatedWrongSecretsForOneClientAreThrottledWithRetryAfterBeforeAnyKdf() throws Exception {
    String id = server.clientIdOf("tunely");
    for (int i = 0; i < 10; i++) {
      assertThat(attempt(id, "guess-" + i).statusCode()).isEqualTo(401);
    }
    var throttled = attempt(id, "guess-11");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    assertThat(TestServer.json(throttled).get("error").asText()).isEqualTo("slow_down");
    // even the right secret waits: the bucket counts the client id, whoever asks
    assertThat(attempt(id, server.secretOf("tunely")).statusCode()).isEqualTo(429);
    // another client is not affected
    assertThat(attempt(server.clientIdOf("seekr"), server.secretOf("seekr")).statusCode())
        .isEqualTo(200);
  }
}
