package org.datapact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code datapact demo} as a real process, talks to it over HTTP, and stops it with SIGTERM.
 */
class DemoProcessTest {
  @TempDir Path tmp;

  @Test
  @Timeout(120)
  void demoServesHealthAndStopsCleanlyOnSigterm() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "demo",
                "--users",
                "200",
                "--port",
                "0",
                "--data-dir",
                tmp.resolve("data").toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Pattern running = Pattern.compile("DataPact demo is running at (http://\\S+)");
      String url = null;
      StringBuilder seen = new StringBuilder();
      for (String line; (line = out.readLine()) != null; ) {
        seen.append(line).append('\n');
        Matcher m = running.matcher(line);
        if (m.find()) {
          url = m.group(1);
          break;
        }
      }
      assertThat(url).as(seen.toString()).isNotNull();
      assertThat(out.readLine()).contains("cast").endsWith("demo/cast.json");
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url).resolve("/health")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).startsWith("{\"status\":\"UP\",\"checks\":");
      // the first start simulates ads delivery 2012-2019 beside the running server, then says so
      Pattern simulated = Pattern.compile("simulated 2,922 days: [\\d,]+ impressions");
      boolean done = false;
      for (String line; !done && (line = out.readLine()) != null; ) {
        seen.append(line).append('\n');
        done = simulated.matcher(line).find();
      }
      assertThat(done).as(seen.toString()).isTrue();
      HttpClient oscar =
          HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
      String origin = URI.create(url).resolve("/").toString().replaceAll("/$", "");
      HttpResponse<String> login =
          oscar.send(
              HttpRequest.newBuilder(URI.create(url).resolve("/api/v1/session/demo"))
                  .header("Content-Type", "application/json")
                  .header("Origin", origin)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"handle\":\"oscar\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isBetween(200, 204);
      String revenue =
          oscar
              .send(
                  HttpRequest.newBuilder(URI.create(url).resolve("/api/v1/ads/revenue")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(revenue)
          .contains("\"simulation\":{")
          .contains("\"simulating\":null")
          .contains("\"from\":\"2012-01-01\"");
      p.destroy(); // SIGTERM: the shutdown hook stops the server and closes the store
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, after hooks ran
    } finally {
      p.destroyForcibly();
    }
  }
}
