package org.datapact.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load driver counts what a real server answered, at full load and at a fixed rate. */
class LoadDriverTest {
  private HttpServer server;
  private final AtomicLong served = new AtomicLong();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String start(int status, byte[] body, boolean chunked) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          served.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, chunked ? 0 : body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/friends?purpose=recommendations";
  }

  private static int feedInPieces(LoadDriver.ResponseParser p, String response, int piece)
      throws IOException {
    byte[] b = response.getBytes(StandardCharsets.US_ASCII);
    int status = -1;
    for (int at = 0; at < b.length; at += piece) {
      ByteBuffer buf = ByteBuffer.wrap(b, at, Math.min(piece, b.length - at));
      status = p.feed(buf);
      assertThat(status < 0 || at + piece >= b.length)
          .as("complete only at the last byte")
          .isTrue();
    }
    return status;
  }

  @Test
  void parsesResponsesSplitAtEveryByte() throws IOException {
    LoadDriver.ResponseParser p = new LoadDriver.ResponseParser();
    String sized =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"data\":[]}";
    String chunked =
        "HTTP/1.1 403 Forbidden\r\ntransfer-encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n";
    String empty = "HTTP/1.1 204 No Content\r\n\r\n";
    for (int piece : new int[] {1, 2, 7, 1000}) {
      assertThat(feedInPieces(p, sized, piece)).isEqualTo(200);
      assertThat(feedInPieces(p, chunked, piece)).isEqualTo(403);
      assertThat(feedInPieces(p, empty, piece))
          .isEqualTo(204); // the parser is ready for the next response each time
    }
  }

  @Test
  void refusesWhatIsNotAnHttpResponse() {
    LoadDriver.ResponseParser p = new LoadDriver.ResponseParser();
    assertThatThrownBy(
            () ->
                p.feed(ByteBuffer.wrap("SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not an HTTP/1.1 status line");
  }

  @Test
  void countsEveryAnswerAtFullLoad() throws Exception {
    String url = start(200, "{\"data\":[]}".getBytes(StandardCharsets.UTF_8), false);
    LoadDriver.Result r =
        LoadDriver.run(
            "max",
            LoadDriver.target(url, "GET", null, List.of("Authorization: Bearer x")),
            8,
            1.0,
            0);
    assertThat(r.requests()).isPositive().isEqualTo(served.get());
    assertThat(r.statuses()).containsOnlyKeys(200);
    assertThat(r.latency().getTotalCount()).isEqualTo(r.requests());
  }

  @Test
  void sendsAtTheFixedRateAndReadsChunkedAnswers() throws Exception {
    String url = start(201, "{\"sent\":1}".getBytes(StandardCharsets.UTF_8), true);
    LoadDriver.Result r =
        LoadDriver.run(
            "rate", LoadDriver.target(url, "POST", "{\"to\":[]}", List.of()), 4, 2.0, 100);
    // 100 a second for 2 s over 4 connections: each sends every 40 ms, its first within the first
    // 40 ms
    assertThat(r.requests()).isEqualTo(200).isEqualTo(served.get());
    assertThat(r.statuses()).containsOnlyKeys(201);
    assertThat(r.throughput()).isEqualTo(100.0);
  }

  @Test
  void countsAConnectionTheServerDropsAsFailed() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/", exchange -> exchange.close()); // no answer: the connection is closed
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    LoadDriver.Result r =
        LoadDriver.run("max", LoadDriver.target(url, "GET", null, List.of()), 2, 0.5, 0);
    assertThat(r.requests()).isZero();
    assertThat(r.statuses()).containsEntry(-1, 2L);
  }
}
