package org.datapact.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/** The partner reads served on Jetty's core API keep what Javalin gives every other route. */
class CoreRoutesTest extends DemoServerTest {
  private static final String[] FRIENDS = "api/v1/users/{userId}/friends".split("/");

  @Test
  void matchesTheRawPathSegmentBySegmentAndDecodesParameters() {
    assertThat(CoreRoutes.match(FRIENDS, "/api/v1/users/u_abc/friends"))
        .isEqualTo(Map.of("userId", "u_abc"));
    assertThat(CoreRoutes.match(FRIENDS, "/api/v1/users/u_abc/friends/"))
        .isEqualTo(Map.of("userId", "u_abc"));
    // an encoded slash stays inside its segment, as on Javalin's routes
    assertThat(CoreRoutes.match(FRIENDS, "/api/v1/users/..%2F..%2Fetc/friends"))
        .isEqualTo(Map.of("userId", "../../etc"));
    assertThat(CoreRoutes.match(FRIENDS, "/api/v1/users/a%20b/friends"))
        .isEqualTo(Map.of("userId", "a b"));
    assertThat(CoreRoutes.match(FRIENDS, "/api/v1/users//friends")).isNull();
    assertThat(CoreRoutes.match(FRIENDS, "/api/v1/users/u_abc/friends/more")).isNull();
    assertThat(CoreRoutes.match(FRIENDS, "/api/v1/users/u_abc")).isNull();
    assertThat(CoreRoutes.match(FRIENDS, "/api/v1/users/u_abc/friendz")).isNull();
    assertThat(CoreRoutes.match(FRIENDS, "/api/v2/users/u_abc/friends")).isNull();
    assertThat(CoreRoutes.match(FRIENDS, "api/v1/users/u_abc/friends")).isNull();
  }

  private static HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String friends() {
    return "/api/v1/users/"
        + server.partnerId("streamflix", 1)
        + "/friends?purpose=recommendations";
  }

  @Test
  void answersAnotherMethodOnACoreRouteWith405AndAProblem() throws Exception {
    String token = server.token("streamflix");
    for (String method : new String[] {"POST", "DELETE", "PUT"}) {
      var r = send(method, friends(), "Authorization", "Bearer " + token);
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
      assertThat(TestServer.json(r).get("type").asText())
          .isEqualTo("urn:datapact:problem:method-not-allowed");
      assertThat(TestServer.json(r).get("detail").asText())
          .contains("method " + method + " is not allowed");
    }
  }

  @Test
  void checksTheCallerAsTheAccessCheckDoes() throws Exception {
    var none = send("GET", friends());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(none).get("type").asText())
        .isEqualTo("urn:datapact:problem:unauthenticated");
    var forged =
        send("GET", friends(), "Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.headers().firstValue("WWW-Authenticate")).hasValue(AccessControl.CHALLENGE);
    // a console session of a user is a caller, but not a partner app
    var session = server.session();
    session.login("alice");
    var user = session.get(friends());
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(TestServer.json(user).get("detail").asText()).contains("the user role may not use");
  }

  @Test
  void recordsCoreRequestsInTheRequestTimersAndIgnoresATrailingSlash() throws Exception {
    String token = server.token("streamflix");
    String path = friends().replace("/friends?", "/friends/?");
    var r = send("GET", path, "Authorization", "Bearer " + token);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("X-DataPact-Ledger-Index")).isPresent();
    assertThat(server.session().get("/metrics").body())
        .containsPattern(
            "http_server_requests_seconds_count\\{[^}]*route=\"/api/v1/users/\\{userId\\}/friends\"[^}]*status=\"200\"");
  }

  @Test
  void refusesAQueryStringThatIsNotUrlEncodingWith400() throws Exception {
    // java.net.URI will not build this request: it goes over a plain socket
    try (java.net.Socket s =
        new java.net.Socket(server.uri("/").getHost(), server.uri("/").getPort())) {
      s.setSoTimeout(10_000);
      String request =
          "GET "
              + friends()
              + "&limit=%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
              + server.token("streamflix")
              + "\r\nConnection: close\r\n\r\n";
      s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer =
          new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400 ").contains("urn:datapact:problem:invalid-input");
    }
  }
}
