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

  /**
   * One bucket, lock-free: the state (tokens, time of the last refill) is replaced by
   * compare-and-set, so a thread descheduled mid-update never stalls the others (on two cores a
   * lock here formed convoys of hundreds of milliseconds under load).
   */
  private static final class Bucket {
    private record State(double tokens, long last) {}

    private final double capacity;
    private final double perNano;
    private final java.util.concurrent.atomic.AtomicReference<State> state;

    Bucket(int n, Duration per, long now) {
      this.capacity = n;
      this.perNano = n / (double) per.toNanos();
      this.state = new java.util.concurrent.atomic.AtomicReference<>(new State(n, now));
    }

    Take take(long now) {
      while (true) {
        State s = state.get();
        double tokens = Math.min(capacity, s.tokens() + Math.max(0, now - s.last()) * perNano);
        long last = Math.max(now, s.last());
        if (tokens >= 1) {
          if (state.compareAndSet(s, new State(tokens - 1, last))) {
            return new Take(true, 0);
          }
        } else {
          if (state.compareAndSet(s, new State(tokens, last))) {
            return new Take(false, Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9)));
          }
        }
      }
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
