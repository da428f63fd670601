package org.datapact.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.datapact.core.DataPactException;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What an operator scrapes and ships: histograms, ledger metrics, trace context, JSON logs. */
class OperationsMetricsTest {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.demo();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void metricsHaveLatencyHistogramsAndTheLedgersOwnFigures() throws Exception {
    assertThat(server.partnerReadsProfile("streamflix", 1).statusCode()).isEqualTo(200);
    server.context.ledger().checkpoint(); // on demand in tests: one checkpoint to age
    String m = server.session().get("/metrics").body();
    assertThat(m)
        .contains("http_server_requests_seconds_bucket{")
        .contains("le=\"0.005\"")
        .contains("datapact_decision_seconds_bucket{le=\"1.0E-6\"")
        .contains("datapact_ledger_sync_seconds_bucket{le=\"0.001\"")
        .contains("datapact_ledger_batch_entries_bucket{le=\"1.0\"")
        .contains("datapact_ledger_size ")
        .contains("datapact_ledger_checkpoint_age_seconds ");
    long size = server.context.ledger().log().size();
    assertThat(m).containsPattern("datapact_ledger_size " + size + "(\\.0)?\n");
    assertThat(m).doesNotContainPattern("datapact_ledger_sync_seconds_count 0(\\.0)?\n");
  }

  private static HttpResponse<String> get(String path, String traceparent) throws Exception {
    var b = HttpRequest.newBuilder(server.uri(path)).GET();
    if (traceparent != null) {
      b.header("traceparent", traceparent);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aValidTraceparentIsContinuedAndAnInvalidOneReplaced() throws Exception {
    String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    for (String path : new String[] {"/health/live", "/api/v1/ledger/checkpoint"}) {
      String out = get(path, incoming).headers().firstValue("traceparent").orElseThrow();
      assertThat(out).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01");
      assertThat(out).doesNotContain("00f067aa0ba902b7");
    }
    // the partner API's reads answer on Jetty's core path: the same header
    var read =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        server.uri(
                            "/api/v1/users/"
                                + server.partnerId("streamflix", 1)
                                + "/profile?purpose=recommendations"))
                    .header("Authorization", "Bearer " + server.token("streamflix"))
                    .header("traceparent", incoming)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(read.headers().firstValue("traceparent").orElseThrow())
        .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
    for (String bad :
        new String[] {
          "garbage",
          "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
          "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"
        }) {
      String out = get("/health/live", bad).headers().firstValue("traceparent").orElseThrow();
      assertThat(out).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain("4bf92f35");
      assertThat(out).isNotEqualTo(bad);
    }
    String fresh = get("/health/live", null).headers().firstValue("traceparent").orElseThrow();
    assertThat(fresh).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theJsonLogFormatWritesOneObjectPerEventWithItsKeyValues() throws Exception {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var appender =
        (OutputStreamAppender<ILoggingEvent>)
            context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next();
    var before = appender.getEncoder();
    try {
      LogFormats.use("json");
      assertThat(appender.getEncoder()).isInstanceOf(JsonEncoder.class);
      var event =
          new LoggingEvent(
              "x",
              context.getLogger("datapact.http"),
              ch.qos.logback.classic.Level.INFO,
              "request",
              null,
              null);
      event.addKeyValuePair(new org.slf4j.event.KeyValuePair("trace_id", "4bf92f35"));
      String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
      var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
      assertThat(json.get("message").asText()).isEqualTo("request");
      assertThat(json.get("level").asText()).isEqualTo("INFO");
      assertThat(json.toString()).contains("\"trace_id\":\"4bf92f35\"");
    } finally {
      appender.setEncoder(before);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogFormats.use("xml"))
        .isInstanceOf(DataPactException.class)
        .hasMessageContaining("log-format must be text or json");
  }
}
