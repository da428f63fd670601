package org.datapact.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpsTest extends DemoServerTest {
  @Test
  void healthIsUpWhenTheDatabaseAnswers() throws Exception {
    var r = server.session().get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
  }

  @Test
  void healthIsDownWithA503WhenTheDatabaseIsGone() throws Exception {
    try (TestServer other = TestServer.demo()) {
      other.db.close();
      var r = other.session().get("/health");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("{\"status\":\"DOWN\"}");
    }
  }

  @Test
  void metricsArePrometheusTextWithRequestTimersByRoute() throws Exception {
    server.session().get("/health");
    var r = server.session().get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
    assertThat(r.body()).contains("jvm_memory_used_bytes").containsPattern(
        "http_server_requests_seconds_count\\{[^}]*route=\"/health\"[^}]*status=\"200\"");
  }

  @Test
  void servesTheUiShellFromTheJar() throws Exception {
    var r = server.session().get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<title>DataPact</title>").contains("/app.js");
    assertThat(server.session().get("/app.js").body()).contains("textContent").doesNotContain("innerHTML");
  }
}
