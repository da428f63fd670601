package org.datapact.server.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.datapact.store.privacy.ErasureStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers erasure notices to partners from the durable outbox: each a JSON deletion request signed
 * with HMAC-SHA256 over {@code timestamp.body} under the partner's webhook secret ({@code
 * X-DataPact-Timestamp}, {@code X-DataPact-Signature: v1=<hex>}); a 2xx answer with a {@code
 * confirmation} marks it delivered, anything else is retried with exponential back-off (1 s, 2 s, 4
 * s … at most an hour). The outbox is a table, so a restart resumes where it stopped. A webhook URL
 * starting {@code demo:} is this server's own demo receiver.
 */
public final class ErasureOutbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ErasureOutbox.class);

  /** The longest wait between two attempts. */
  static final Duration MAX_BACKOFF = Duration.ofHours(1);

  private final ErasureStore store;
  private final Clock clock;
  private final ObjectMapper mapper;
  private final Supplier<URI> base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "datapact-erasure-outbox");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param base this server's base URL, for the demo receivers
   */
  public ErasureOutbox(ErasureStore store, Clock clock, ObjectMapper mapper, Supplier<URI> base) {
    this.store = store;
    this.clock = clock;
    this.mapper = mapper;
    this.base = base;
  }

  /** Starts delivering, every {@code period}. @return this */
  public ErasureOutbox start(Duration period) {
    var unused =
        ticker.scheduleWithFixedDelay(
            this::deliverDue, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * @return the signature header's value for a body sent at {@code timestamp}
   */
  public static String signature(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "v1="
          + HexFormat.of()
              .formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e); // INVARIANT: every JDK has it
    }
  }

  /** Delivers every notice due now; a failure of one never stops the others. */
  void deliverDue() {
    try {
      for (ErasureStore.Notice n : store.due(clock.instant(), 50)) {
        deliver(n);
      }
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).log("the erasure outbox could not be read; retrying");
    }
  }

  private void deliver(ErasureStore.Notice n) {
    Instant now = clock.instant();
    var hook = store.webhook(n.partner());
    if (hook.isEmpty()) {
      store.failed(n.id(), backoff(now, n.attempts()), "the partner has no webhook registered");
      return;
    }
    String url = hook.get().url();
    if (url.startsWith("demo:")) {
      url = base.get().resolve("/demo/partners/" + n.partner().value() + "/erasure").toString();
    }
    try {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("type", "erasure_request");
      body.put("erasureId", n.requestId());
      body.put("user", n.subjectRef());
      body.put("requestedAt", n.requestedAt().toString());
      body.put("dueBy", n.dueBy().toString());
      String json = mapper.writeValueAsString(body);
      long ts = now.getEpochSecond();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .header("X-DataPact-Timestamp", Long.toString(ts))
                  .header("X-DataPact-Signature", signature(hook.get().secret(), ts, json))
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String confirmation = null;
      if (r.statusCode() / 100 == 2) {
        JsonNode answer = mapper.readTree(r.body());
        JsonNode c = answer == null ? null : answer.get("confirmation");
        confirmation = c == null || !c.isTextual() || c.asText().isBlank() ? null : c.asText();
      }
      if (confirmation != null) {
        store.delivered(n.id(), clock.instant(), confirmation);
      } else {
        store.failed(
            n.id(),
            backoff(now, n.attempts()),
            "HTTP "
                + r.statusCode()
                + (r.statusCode() / 100 == 2 ? " without a confirmation" : ""));
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      store.failed(n.id(), backoff(now, n.attempts()), String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * @return when to try again after {@code attempts} failed attempts: 2^attempts seconds, at most
   *     an hour
   */
  static Instant backoff(Instant now, int attempts) {
    long seconds = attempts >= 12 ? MAX_BACKOFF.toSeconds() : Math.min(1L << attempts, 3600);
    return now.plusSeconds(seconds);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
