package org.datapact.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The server's edge, tried as an attacker would: foreign hosts, method overrides, cross-site state
 * changes.
 */
class EdgeHardeningTest extends DemoServerTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * Sends one raw request (the JDK client will not set {@code Host}); @return the status line and
   * headers.
   */
  private static String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void refusesARequestForAHostItDoesNotServe() throws Exception {
    String rebound =
        raw(
            "GET /api/v1/demo/cast HTTP/1.1\r\nHost: attacker.example:8080\r\nConnection: close\r\n\r\n");
    assertThat(rebound)
        .startsWith("HTTP/1.1 421")
        .contains("urn:datapact:problem:misdirected-request")
        .doesNotContain("alice");
    String loopback =
        raw(
            "GET /api/v1/demo/cast HTTP/1.1\r\nHost: localhost:"
                + server.server.port()
                + "\r\nConnection: close\r\n\r\n");
    assertThat(loopback).startsWith("HTTP/1.1 200");
  }

  @Test
  void refusesMethodOverridesAndAddsNoMetricSeriesForThem() throws Exception {
    long before = series(server.session().get("/metrics").body());
    for (int i = 0; i < 50; i++) {
      var r =
          HTTP.send(
              HttpRequest.newBuilder(server.uri("/health"))
                  .header("X-HTTP-Method-Override", "M" + i)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(TestServer.json(r).get("type").asText())
          .isEqualTo("urn:datapact:problem:method-override-refused");
    }
    for (int i = 0; i < 20; i++) {
      raw(
          "M"
              + i
              + " /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"); // odd methods
      // in the
      // request
      // line
    }
    String metrics = server.session().get("/metrics").body();
    assertThat(metrics).doesNotContain("method=\"M1").doesNotContain("M49");
    // each request series is a histogram of a dozen buckets: count series, not lines
    assertThat(series(metrics) - before).as("new request series").isLessThan(4);
    // a POST never reaches a DELETE handler through the header
    var s = server.session();
    s.login("alice");
    var viaOverride =
        s.send(
            HttpRequest.newBuilder(server.uri("/api/v1/me/consents/platform/ranking"))
                .header("Origin", server.origin())
                .header("X-HTTP-Method-Override", "DELETE")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(viaOverride.statusCode()).isEqualTo(400);
    assertThat(s.get("/api/v1/me/consents").body()).contains("ranking");
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() throws Exception {
    String partner = server.token("streamflix");
    for (var r :
        java.util.List.of(
            server.session().get("/"),
            server.session().get("/app.js"),
            server.session().get("/health"),
            server.session().get("/nothing-here"),
            server.getWithToken(
                partner,
                "/api/v1/users/"
                    + server.partnerId("streamflix", 1)
                    + "/profile?purpose=recommendations"))) {
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .as(r.uri().toString())
          .hasValueSatisfying(
              v -> assertThat(v).contains("default-src 'self'", "frame-ancestors 'none'"));
      assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
  }

  @Test
  void refusesASignedInStateChangeFromAnotherSite() throws Exception {
    var s = server.session();
    s.login("alice");
    var noOrigin =
        s.send(
            HttpRequest.newBuilder(server.uri("/api/v1/me/consents/platform/ranking"))
                .DELETE()
                .build());
    assertThat(noOrigin.statusCode()).isEqualTo(403);
    assertThat(TestServer.json(noOrigin).get("type").asText())
        .isEqualTo("urn:datapact:problem:cross-origin-refused");
    var evil =
        s.send(
            HttpRequest.newBuilder(server.uri("/api/v1/me/consents/platform/ranking"))
                .header("Origin", "http://evil.example")
                .DELETE()
                .build());
    assertThat(evil.statusCode()).isEqualTo(403);
    var sameSite =
        s.send(
            HttpRequest.newBuilder(server.uri("/api/v1/me/consents/platform/ranking"))
                .header("Sec-Fetch-Site", "same-origin")
                .DELETE()
                .build());
    assertThat(sameSite.statusCode()).isEqualTo(204);
    // signing in is a state change too (login CSRF)
    var login =
        HTTP.send(
            HttpRequest.newBuilder(server.uri("/api/v1/session/demo"))
                .header("Content-Type", "application/json")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"handle\":\"oscar\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(403);
  }

  @Test
  void readsAJsonBodyOnlyWhenItIsSentAsJson() throws Exception {
    var r =
        server
            .session()
            .send(
                HttpRequest.newBuilder(server.uri("/api/v1/session/demo"))
                    .header("Origin", server.origin())
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"handle\":\"oscar\"}"))
                    .build());
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(TestServer.json(r).get("type").asText())
        .isEqualTo("urn:datapact:problem:unsupported-media-type");
  }

  @Test
  void signingOutEndsTheSessionOnTheServer() throws Exception {
    var s = server.session();
    s.login("alice");
    String token =
        server
            .context
            .sessions()
            .issue(
                new org.datapact.server.session.Caller(
                    "alice", "Alice", Role.USER, org.datapact.core.user.UserId.of(1), null));
    var copied =
        HttpRequest.newBuilder(server.uri("/api/v1/me"))
            .header("Cookie", AccessControl.SESSION_COOKIE + "=" + token);
    assertThat(HTTP.send(copied.GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    var out =
        HTTP.send(
            HttpRequest.newBuilder(server.uri("/api/v1/session"))
                .header("Cookie", AccessControl.SESSION_COOKIE + "=" + token)
                .header("Origin", server.origin())
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(out.statusCode()).isEqualTo(204);
    var after = HTTP.send(copied.GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(after).get("detail").asText()).contains("signed out");
    // kept in the store: a server restarted on it still refuses the token
    assertThat(
            new org.datapact.store.session.SessionRevocations(
                    server.db, server.context.clock().instant())
                .isRevoked(com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getJWTID()))
        .isTrue();
  }

  @Test
  void aRefusalAtTheEdgeNeverLeavesAnExpectContinueClientWaiting() throws Exception {
    String big = "{\"handle\":\"" + "a".repeat(200_000) + "\"}";
    var r =
        HTTP.sendAsync(
                HttpRequest.newBuilder(server.uri("/api/v1/session/demo"))
                    .expectContinue(true)
                    .header("Content-Type", "application/json")
                    .header("Origin", "http://evil.example")
                    .POST(HttpRequest.BodyPublishers.ofString(big))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(403);
  }

  /** The request timers' series: one count line each. */
  private static long series(String metrics) {
    return metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")).count();
  }
}
