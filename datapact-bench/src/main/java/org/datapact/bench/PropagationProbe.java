package org.datapact.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * How long a consent change on one node takes to be honoured by another, measured from outside: a
 * user revokes (then grants again) on node A, and the probe reads that user's profile as the
 * partner on node B every 2 ms until B's answer changes (403 after a revocation, 200 after a
 * grant). Run it while a load keeps both nodes busy (datapact-bench/scripts/two-nodes.sh).
 *
 * <p>Usage: {@code PropagationProbe <node A url> <node B url> <cast.json> <handle> <changes>}.
 * Prints one line: changes, p50, p99, max in ms.
 */
public final class PropagationProbe {
  private PropagationProbe() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    String a = args[0].replaceAll("/$", "");
    String b = args[1].replaceAll("/$", "");
    JsonNode cast = MAPPER.readTree(Path.of(args[2]).toFile());
    String handle = args[3];
    int changes = Integer.parseInt(args[4]);
    String userId = null;
    for (JsonNode p : cast.get("people")) {
      if (p.get("handle").asText().equals(handle)) {
        userId = p.get("partnerIds").get("streamflix").asText();
      }
    }
    String secret = null;
    for (JsonNode c : cast.get("clients")) {
      if (c.get("party").asText().equals("streamflix")) {
        secret = c.get("clientSecret").asText();
      }
    }
    if (userId == null || secret == null) {
      throw new IllegalArgumentException("no " + handle + " or no streamflix client in the cast");
    }
    HttpClient partner = HttpClient.newHttpClient();
    String basic =
        Base64.getEncoder()
            .encodeToString(("streamflix-app:" + secret).getBytes(StandardCharsets.UTF_8));
    var tokenAnswer =
        partner.send(
            HttpRequest.newBuilder(URI.create(a + "/oauth/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String token = MAPPER.readTree(tokenAnswer.body()).get("access_token").asText();
    HttpRequest read =
        HttpRequest.newBuilder(
                URI.create(b + "/api/v1/users/" + userId + "/profile?purpose=recommendations"))
            .header("Authorization", "Bearer " + token)
            .build();
    HttpClient user = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    send(user, a, "POST", "/api/v1/session/demo", "{\"handle\":\"" + handle + "\"}", 200);
    String consent = "/api/v1/me/consents/streamflix/recommendations";
    Histogram h = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    long timeouts = 0;
    for (int i = 0; i < changes; i++) {
      boolean revoke = i % 2 == 0;
      send(user, a, revoke ? "DELETE" : "PUT", consent, "", revoke ? 204 : 200);
      long changed = System.nanoTime();
      int want = revoke ? 403 : 200;
      int got;
      do {
        got = partner.send(read, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (got != want) {
          Thread.sleep(2);
        }
      } while (got != want && System.nanoTime() - changed < TimeUnit.SECONDS.toNanos(10));
      if (got != want) {
        timeouts++;
      } else {
        h.recordValue(System.nanoTime() - changed);
      }
      Thread.sleep(50);
    }
    if (changes % 2 == 1) {
      send(user, a, "PUT", consent, "", 200); // leave the user as found
    }
    System.out.printf(
        Locale.ROOT,
        "propagation A->B: changes=%d p50=%.1fms p99=%.1fms max=%.1fms not-seen-in-10s=%d%n",
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        h.getMaxValue() / 1e6,
        timeouts);
  }

  private static void send(
      HttpClient client, String base, String method, String path, String json, int want)
      throws Exception {
    var r =
        client.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Origin", base)
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != want) {
      throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
  }
}
