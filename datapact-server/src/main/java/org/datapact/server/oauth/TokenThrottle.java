package org.datapact.server.oauth;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the work {@code POST /oauth/token} does for anyone who asks. Verifying a client secret is
 * a deliberately slow KDF (PBKDF2, 600,000 iterations), so unbounded attempts would let anyone burn
 * the server's CPU. Three bounds:
 *
 * <ul>
 *   <li>failed attempts per client id: a bucket of {@link #PER_CLIENT} that refills one per {@link
 *       #CLIENT_REFILL}; when empty, attempts for that id are refused (429) before any KDF;
 *   <li>failed attempts per remote address: {@link #PER_ADDRESS}, one back per {@link
 *       #ADDRESS_REFILL};
 *   <li>KDF computations at once: one per core; a request that waits longer than {@link #KDF_WAIT}
 *       is refused (503) rather than queued without end.
 * </ul>
 *
 * <p>Only failures drain the buckets: a client with its secret gets its tokens, however many others
 * guess. Time is the server's monotonic clock. Thread-safe.
 */
final class TokenThrottle {
  static final int PER_CLIENT = 10;
  static final Duration CLIENT_REFILL = Duration.ofSeconds(6);
  static final int PER_ADDRESS = 30;
  static final Duration ADDRESS_REFILL = Duration.ofSeconds(2);
  static final Duration KDF_WAIT = Duration.ofSeconds(2);

  /** Buckets kept at most, by kind; past it, full buckets are forgotten (they carry no state). */
  private static final int MAX_BUCKETS = 100_000;

  private final ConcurrentHashMap<String, long[]> clients = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, long[]> addresses = new ConcurrentHashMap<>();
  private final Semaphore kdf =
      new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
  private final java.util.function.LongSupplier nanos;

  TokenThrottle(java.util.function.LongSupplier nanos) {
    this.nanos = nanos;
  }

  TokenThrottle() {
    this(System::nanoTime);
  }

  /**
   * @return seconds until an attempt for this client from this address is allowed; 0 when it is now
   */
  long retryAfter(String clientId, String address) {
    long now = nanos.getAsLong();
    return Math.max(
        wait(clients, clientId, PER_CLIENT, CLIENT_REFILL, now),
        wait(addresses, address, PER_ADDRESS, ADDRESS_REFILL, now));
  }

  /** Counts a failed attempt against the client id and the address. */
  void failed(String clientId, String address) {
    long now = nanos.getAsLong();
    drain(clients, clientId, PER_CLIENT, CLIENT_REFILL, now);
    drain(addresses, address, PER_ADDRESS, ADDRESS_REFILL, now);
  }

  /**
   * @return whether a KDF slot was had within {@link #KDF_WAIT}; release it with {@link #release()}
   */
  boolean acquireKdf() throws InterruptedException {
    return kdf.tryAcquire(KDF_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  void release() {
    kdf.release();
  }

  /**
   * A bucket is {used, since}: {@code used} failures counted, the oldest refilled at {@code since}.
   */
  private static long wait(
      ConcurrentHashMap<String, long[]> buckets,
      String key,
      int capacity,
      Duration refill,
      long now) {
    long[] b = buckets.get(key);
    if (b == null) {
      return 0;
    }
    synchronized (b) {
      settle(b, refill, now);
      if (b[0] < capacity) {
        return 0;
      }
      long next = b[1] + refill.toNanos() - now;
      return Math.max(1, (long) Math.ceil(next / 1e9));
    }
  }

  private static void drain(
      ConcurrentHashMap<String, long[]> buckets,
      String key,
      int capacity,
      Duration refill,
      long now) {
    if (buckets.size() >= MAX_BUCKETS) {
      buckets
          .entrySet()
          .removeIf(
              e -> {
                synchronized (e.getValue()) {
                  settle(e.getValue(), refill, now);
                  return e.getValue()[0] == 0;
                }
              });
    }
    long[] b = buckets.computeIfAbsent(key, k -> new long[] {0, now});
    synchronized (b) {
      settle(b, refill, now);
      if (b[0] == 0) {
        b[1] = now;
      }
      b[0] = Math.min(capacity, b[0] + 1);
    }
  }

  private static void settle(long[] b, Duration refill, long now) {
    long back = (now - b[1]) / refill.toNanos();
    if (back > 0 && b[0] > 0) {
      long n = Math.min(back, b[0]);
      b[0] -= n;
      b[1] += n * refill.toNanos();
    }
  }
}
