package org.datapact.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.datapact.server.session.Caller;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of every answered request, whichever path served it (Javalin's or the partner API's
 * {@link CoreRoutes}): a Micrometer timer per method, route and status, and a structured log line
 * on {@code org.datapact.http}.
 */
public final class RequestLog {
  private static final Logger HTTP_LOG = LoggerFactory.getLogger("org.datapact.http");

  private final MeterRegistry metrics;

  /**
   * One timer per method, route and status, looked up once (building a meter id per request showed
   * up in load profiles).
   */
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  /**
   * @param metrics where the timers are registered
   */
  public RequestLog(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /**
   * Records one answered request.
   *
   * @param route the matched route's path template, or {@code other}
   * @param ms how long it took, in milliseconds
   * @param caller the verified caller, or null; logged as {@code role:handle}, or {@code -}
   */
  public void record(
      String requestMethod,
      String path,
      String route,
      int status,
      double ms,
      @Nullable Caller caller,
      @Nullable String traceparent) {
    // INVARIANT: every tag comes from a fixed set (a route template, a standard method, a status),
    // so no
    // request can add a time series of its own
    String method = standardMethod(requestMethod);
    timers
        .computeIfAbsent(
            method + ' ' + route + ' ' + status,
            k ->
                Timer.builder("http.server.requests")
                    .tag("method", method)
                    .tag("route", route)
                    .tag("status", Integer.toString(status))
                    .serviceLevelObjectives(BUCKETS)
                    .register(metrics))
        .record((long) (ms * 1_000_000), TimeUnit.NANOSECONDS);
    if (!HTTP_LOG.isInfoEnabled()) {
      return;
    }
    HTTP_LOG
        .atInfo()
        .addKeyValue("method", method)
        .addKeyValue("path", path)
        .addKeyValue("route", route)
        .addKeyValue("status", status)
        .addKeyValue("ms", Math.round(ms * 100) / 100.0)
        .addKeyValue(
            "caller", caller == null ? "-" : caller.role().wireName() + ":" + caller.handle())
        .addKeyValue("trace_id", traceparent == null ? "-" : Trace.traceId(traceparent))
        .addKeyValue("span_id", traceparent == null ? "-" : Trace.spanId(traceparent))
        .log("request");
  }

  /**
   * The latency histogram's buckets (Prometheus {@code le}): a dozen per series, so that p99 can be
   * computed across nodes ({@code histogram_quantile}) without a series per millisecond.
   */
  private static final java.time.Duration[] BUCKETS = {
    java.time.Duration.ofMillis(1),
    java.time.Duration.ofMillis(2),
    java.time.Duration.ofMillis(5),
    java.time.Duration.ofMillis(10),
    java.time.Duration.ofMillis(20),
    java.time.Duration.ofMillis(50),
    java.time.Duration.ofMillis(100),
    java.time.Duration.ofMillis(200),
    java.time.Duration.ofMillis(500),
    java.time.Duration.ofMillis(1000),
    java.time.Duration.ofMillis(2000),
    java.time.Duration.ofMillis(5000)
  };

  /** The standard methods a timer may be tagged with; any other is {@code OTHER}. */
  private static final java.util.Set<String> METHODS =
      java.util.Set.of(
          "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  private static String standardMethod(String m) {
    return m != null && METHODS.contains(m) ? m : "OTHER";
  }
}
