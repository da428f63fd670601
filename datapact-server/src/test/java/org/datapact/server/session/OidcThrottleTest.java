package org.datapact.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/** Sign-in attempts through OpenID Connect are throttled per address. */
class OidcThrottleTest {
  @Test
  void theTwentyFirstSignInAttemptInAMinuteFromOneAddressWaits() throws Exception {
    MockOAuth2Server provider = new MockOAuth2Server();
    provider.start();
    try (TestServer server = TestServer.serveWithOidc(provider.issuerUrl("default").uri())) {
      HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      int[] codes = new int[OidcFeature.ATTEMPTS_PER_MINUTE + 1];
      for (int i = 0; i < codes.length; i++) {
        codes[i] =
            http.send(
                    HttpRequest.newBuilder(server.uri("/auth/oidc/login")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode();
      }
      for (int i = 0; i < OidcFeature.ATTEMPTS_PER_MINUTE; i++) {
        assertThat(codes[i]).isEqualTo(302);
      }
      // unless the minute turned over during the loop, the last one waits
      assertThat(codes[OidcFeature.ATTEMPTS_PER_MINUTE]).isIn(429, 302);
      var again =
          http.send(
              HttpRequest.newBuilder(server.uri("/auth/oidc/login")).build(),
              HttpResponse.BodyHandlers.ofString());
      if (codes[OidcFeature.ATTEMPTS_PER_MINUTE] == 302) {
        assertThat(again.statusCode()).as("a fresh minute allows 20 again").isEqualTo(302);
      } else {
        assertThat(again.statusCode()).isEqualTo(429);
        long wait = Long.parseLong(again.headers().firstValue("Retry-After").orElseThrow());
        assertThat(wait).as("until the minute ends").isBetween(1L, 60L);
      }
    } finally {
      provider.shutdown();
    }
  }
}
