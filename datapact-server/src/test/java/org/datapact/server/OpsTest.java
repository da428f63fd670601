package org.datapact.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpsTest extends DemoServerTest {
  @Test
  void healthIsUpWhenTheDatabaseAnswers() throws Exception {
    for (String path : new String[] {"/health", "/health/ready"}) {
      var r = server.session().get(path);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .isEqualTo(
              "{\"status\":\"UP\",\"checks\":{\"store\":\"UP\",\"ledger\":\"UP\",\"subjectIndex\":\"UP\","
                  + "\"changes\":\"UP\",\"node\":\""
                  + server.context.feed().nodeId()
                  + "\"}}");
    }
    assertThat(server.session().get("/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
  }

  @Test
  void readinessIsDownWhenTheLedgerRefusesWrites() throws Exception {
    try (TestServer other = TestServer.demo()) {
      other.ledger.log().close(); // the log refuses every append from now on
      var r = other.session().get("/health/ready");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(TestServer.json(r).get("checks").get("ledger").asText()).isNotEqualTo("UP");
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      assertThat(other.session().get("/health/live").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void healthIsDownWithA503WhenTheDatabaseIsGone() throws Exception {
    try (TestServer other = TestServer.demo()) {
      other.db.close();
      var r = other.session().get("/health");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(TestServer.json(r).get("status").asText()).isEqualTo("DOWN");
      assertThat(TestServer.json(r).get("checks").get("store").asText()).isEqualTo("DOWN");
    }
  }

  @Test
  void metricsArePrometheusTextWithRequestTimersByRoute() throws Exception {
    server.session().get("/health");
    var r = server.session().get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
    assertThat(r.body())
        .contains("jvm_memory_used_bytes")
        .containsPattern(
            "http_server_requests_seconds_count\\{[^}]*route=\"/health\"[^}]*status=\"200\"");
  }

  @Test
  void servesTheUiShellFromTheJar() throws Exception {
    var r = server.session().get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<title>DataPact</title>").contains("/app.js");
    assertThat(server.session().get("/app.js").body())
        .contains("textContent")
        .doesNotContain("innerHTML");
  }
}
