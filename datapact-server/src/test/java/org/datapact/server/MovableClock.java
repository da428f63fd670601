package org.datapact.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that starts at a chosen instant, runs at the system clock's pace (tokens, sessions and
 * rate limits behave as in production) and can be moved forward by a test, e.g. past a duty's
 * grace.
 */
public final class MovableClock extends Clock {
  private final long startNanos = System.nanoTime();
  private final Instant start;
  private final AtomicLong skippedNanos = new AtomicLong();

  public MovableClock(Instant start) {
    this.start = start;
  }

  /** Moves the clock forward. */
  public void advance(Duration d) {
    skippedNanos.addAndGet(d.toNanos());
  }

  /** Moves the clock forward to {@code t} (no-op if it is already past). */
  public void advanceTo(Instant t) {
    Duration gap = Duration.between(instant(), t);
    if (!gap.isNegative()) {
      advance(gap);
    }
  }

  @Override
  public Instant instant() {
    return start.plusNanos(System.nanoTime() - startNanos + skippedNanos.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock stays in UTC");
  }
}
