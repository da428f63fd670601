package org.datapact.server.release;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.decision.Obligation;
import org.datapact.core.party.PartyId;

/**
 * Token buckets per partner and rate-limit rule: a bucket holds at most {@code n} tokens and
 * refills at {@code n} per period, so a partner may burst up to its limit and then sustain it. The
 * limit comes from the agreement, as the decision's {@link Obligation.RateLimit}. The one rate
 * limiter: the release pipeline takes from it for every kind of release.
 *
 * <p>Thread-safe.
 */
final class RateLimiter {
  private final ConcurrentHashMap<Key, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * How many nodes share each limit: every node's bucket holds and refills {@code 1/share} of it,
   * so the nodes together never grant more than the agreement's limit (at least one token a period
   * each, so a limit smaller than the number of nodes can be exceeded by that much).
   */
  private volatile int share = 1;

  /** Shares every limit among {@code nodes} live nodes from now on. */
  void share(int nodes) {
    int n = Math.max(1, nodes);
    if (n != share) {
      share = n;
      buckets.clear(); // new buckets at the new share (a burst of at most one share's capacity)
    }
  }

  /**
   * @return how many nodes each limit is shared among
   */
  int share() {
    return share;
  }

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

    Bucket(int n, int share, Duration per, long now) {
      this.capacity = Math.max(1.0, n / (double) share);
      this.perNano = capacity / per.toNanos();
      this.state = new java.util.concurrent.atomic.AtomicReference<>(new State(capacity, now));
    }

    Take take(long now) {
      while (true) {
        State s =
            java.util.Objects.requireNonNull(
                state.get()); // INVARIANT: set in the constructor, never null
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

  /** Takes a token from {@code principal}'s bucket for {@code limit} at {@code nanoTime}. */
  Take take(PartyId principal, Obligation.RateLimit limit, long nanoTime) {
    Constraints.RateLimit l = limit.limit();
    Bucket b =
        buckets.computeIfAbsent(
            new Key(principal, l), k -> new Bucket(l.requests(), share, l.per(), nanoTime));
    return b.take(nanoTime);
  }

  /** A bucket per principal and limit (two permissions with the same limit share one). */
  private record Key(PartyId principal, Constraints.RateLimit limit) {}
}
