package org.datapact.server.decisions;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.datapact.core.party.PartyId;

/**
 * Counts each principal's allowed requests in the current one-second window, which the decision
 * point compares with the permission's rate limit. A fixed window: simple, and exact enough for
 * per-second limits on one node.
 *
 * <p>Thread-safe.
 */
final class UsageCounter {
  /** Window start (epoch second) in the high 32 bits, count in the low 32. */
  private final ConcurrentHashMap<PartyId, AtomicLong> windows = new ConcurrentHashMap<>();

  int current(PartyId principal, long epochSecond) {
    AtomicLong w = windows.get(principal);
    if (w == null) {
      return 0;
    }
    long v = w.get();
    return (v >>> 32) == (epochSecond & 0xFFFFFFFFL) ? (int) v : 0;
  }

  void record(PartyId principal, long epochSecond) {
    long window = (epochSecond & 0xFFFFFFFFL) << 32;
    windows.computeIfAbsent(principal, k -> new AtomicLong()).updateAndGet(v ->
        (v & 0xFFFFFFFF00000000L) == window ? v + 1 : window | 1);
  }
}
