package org.datapact.server.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * W3C Trace Context ({@code traceparent}, version 00): a request that arrives with a valid header
 * continues that trace with a new span of DataPact's; one without (or with an invalid one, which is
 * never echoed) starts a trace. Ids are random, not secret: they only join log lines.
 */
public final class Trace {
  /** The header. */
  public static final String HEADER = "traceparent";

  private static final Pattern VALID =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  private Trace() {}

  /**
   * @return the {@code traceparent} of DataPact's span: the caller's trace id and flags when its
   *     header is valid, else a new trace (sampled)
   */
  public static String child(@Nullable String incoming) {
    String trace = null;
    String flags = "01";
    if (incoming != null) {
      var m = VALID.matcher(incoming.strip());
      if (m.matches() && !m.group(1).equals(ZERO_TRACE) && !m.group(2).equals(ZERO_SPAN)) {
        trace = m.group(1);
        flags = m.group(3);
      }
    }
    if (trace == null) {
      trace = random(16);
    }
    return "00-" + trace + "-" + random(8) + "-" + flags;
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1; // never all zeros
    return HexFormat.of().formatHex(b);
  }

  /**
   * @return the trace id of a {@code traceparent} DataPact wrote
   */
  public static String traceId(String traceparent) {
    return traceparent.length() >= 35 ? traceparent.substring(3, 35) : "-";
  }

  /**
   * @return the span id of a {@code traceparent} DataPact wrote
   */
  public static String spanId(String traceparent) {
    return traceparent.length() >= 52 ? traceparent.substring(36, 52) : "-";
  }
}
