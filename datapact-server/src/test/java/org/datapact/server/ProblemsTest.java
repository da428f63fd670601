package org.datapact.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ProblemsTest extends DemoServerTest {
  private static void assertProblem(
      HttpResponse<String> r, int status, String slug, String detailPart) throws Exception {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    var p = TestServer.json(r);
    assertThat(p.get("type").asText()).isEqualTo("urn:datapact:problem:" + slug);
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("detail").asText()).contains(detailPart);
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void unknownPathIsANotFoundProblem() throws Exception {
    assertProblem(server.session().get("/api/v1/nope"), 404, "not-found", "`/api/v1/nope`");
  }

  @Test
  void wrongMethodIsAMethodNotAllowedProblem() throws Exception {
    assertProblem(server.session().delete("/api/v1/me"), 405, "method-not-allowed", "DELETE");
  }

  @Test
  void malformedJsonIsAnInvalidInputProblemWithThePosition() throws Exception {
    assertProblem(
        server.session().post("/api/v1/session/demo", "{\"handle\": "),
        400,
        "invalid-input",
        "not valid JSON");
  }

  @Test
  void unknownFieldIsRejectedByName() throws Exception {
    assertProblem(
        server.session().post("/api/v1/session/demo", "{\"handle\":\"alice\",\"admin\":true}"),
        400,
        "invalid-input",
        "unknown field `admin`");
  }

  @Test
  void wrongTypeIsRejectedWithTheField() throws Exception {
    assertProblem(
        server.session().post("/api/v1/session/demo", "{\"handle\":[1]}"),
        400,
        "invalid-input",
        "`handle`");
  }

  @Test
  void emptyBodyIsRejected() throws Exception {
    assertProblem(
        server.session().post("/api/v1/session/demo", ""),
        400,
        "invalid-input",
        "needs a JSON body");
  }

  @Test
  void oversizedBodyIsRejected() throws Exception {
    String big = "{\"handle\":\"" + "a".repeat(200_000) + "\"}";
    var r =
        server
            .session()
            .send(
                HttpRequest.newBuilder(server.uri("/api/v1/session/demo"))
                    .header("Content-Type", "application/json")
                    .header("Origin", server.origin())
                    .POST(HttpRequest.BodyPublishers.ofString(big))
                    .build());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
  }

  /**
   * The 413 must not race the upload: before the server read and discarded oversized bodies, a
   * connection closed with the body unread could reset before the client read the answer (once in
   * CI; 2 in 60 of these).
   */
  @org.junit.jupiter.api.RepeatedTest(20)
  void oversizedBodyAfterExpectContinueGets413EveryTime() throws Exception {
    String big = "{\"handle\":\"" + "a".repeat(200_000) + "\"}";
    var r =
        server
            .session()
            .send(
                HttpRequest.newBuilder(server.uri("/api/v1/session/demo"))
                    .expectContinue(true)
                    .header("Content-Type", "application/json")
                    .header("Origin", server.origin())
                    .POST(HttpRequest.BodyPublishers.ofString(big))
                    .build());
    assertProblem(r, 413, "payload-too-large", "at most 65536");
  }

  @Test
  void sqlMetacharactersInAHandleAreJustAnUnknownHandle() throws Exception {
    assertProblem(
        server.session().post("/api/v1/session/demo", "{\"handle\":\"alice' OR '1'='1\"}"),
        400,
        "invalid-input",
        "is not in the demo cast");
  }
}
