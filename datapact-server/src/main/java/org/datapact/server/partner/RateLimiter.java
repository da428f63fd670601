package org.datapact.server.partner;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.datapact.core.party.PartyId;

/**
 * Token buckets per partner and rate-limit rule: a bucket holds at most {@code n} tokens and
 * refills at {@code n} per period, so a partner may burst up to its limit and then sustain it.
 * The limit comes from the agreement, as the decision's {@code rate_limit} obligation.
 *
 * <p>Thread-safe.
 */
final class RateLimiter {
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** What a take answers: whether a token was taken, and otherwise how long until one is free. */
  record Take(boolean taken, long retryAfterSeconds) {}

  private static final class Bucket {
    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    Bucket(int n, Duration per, long now) {
      this.capacity = n;
      this.perNano = n / (double) per.toNanos();
      this.tokens = n;
      this.last = now;
    }

    synchronized Take take(long now) {
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return new Take(true, 0);
      }
      return new Take(false, Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9)));
    }
  }

  /** @param obligation the decision's {@code rate_limit} value, {@code n/PTxS} */
  Take take(PartyId partner, String obligation, long nanoTime) {
    Bucket b = buckets.computeIfAbsent(partner.value() + "|" + obligation, k -> {
      int slash = obligation.indexOf('/');
      return new Bucket(Integer.parseInt(obligation.substring(0, slash)), Duration.parse(obligation.substring(slash + 1)),
          nanoTime);
    });
    return b.take(nanoTime);
  }

  /** @return the {@code n} of a {@code n/PTxS} obligation */
  static int limitOf(String obligation) {
    return Integer.parseInt(obligation.substring(0, obligation.indexOf('/')));
  }
}
