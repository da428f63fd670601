package org.datapact.ledger.checkpoint;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.datapact.ledger.log.DurableLog;
import org.jspecify.annotations.Nullable;

/**
 * Signs the log's tree head at a fixed cadence (default one second) and on demand, writing each
 * signed note to the log's checkpoint file. A tick signs only when the log has grown since the last
 * checkpoint, so an idle log does not fill its file with identical heads. A failed tick (an I/O
 * error) is counted and retried with exponential back-off (from one cadence to {@link
 * #MAX_BACKOFF}); it never stops the ticker.
 *
 * <p>Thread-safe.
 */
public final class Checkpointer implements AutoCloseable {
  /** The default cadence. */
  public static final Duration DEFAULT_CADENCE = Duration.ofSeconds(1);

  private final DurableLog log;
  private final String origin;
  private final SigningKeys keys;
  private final Clock clock;
  private final @Nullable ScheduledExecutorService timer;

  /** The longest wait between retries after failures. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private volatile @Nullable String latest;
  private long latestSize = -1;
  private final java.util.concurrent.atomic.AtomicLong failures =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile int consecutiveFailures;
  private volatile long retryAtMillis;
  private volatile @Nullable String lastError;
  private final long cadenceMillis;

  /**
   * @param log the log to checkpoint
   * @param origin the log's identity line
   * @param keys the signing key
   * @param clock timestamps the checkpoints
   * @param cadence how often to tick; {@link Duration#ZERO} for on-demand only
   */
  public Checkpointer(
      DurableLog log, String origin, SigningKeys keys, Clock clock, Duration cadence) {
    this.log = log;
    this.origin = origin;
    this.keys = keys;
    this.clock = clock;
    this.cadenceMillis = Math.max(1, cadence.toMillis());
    if (cadence.isZero()) {
      this.timer = null;
    } else {
      this.timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "ledger-checkpointer");
                t.setDaemon(true);
                return t;
              });
      long ms = cadence.toMillis();
      var unused = timer.scheduleAtFixedRate(this::tickQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Signs and stores a checkpoint if the log grew since the last one.
   *
   * @return the new signed note, or empty when nothing changed
   */
  public synchronized Optional<String> tick() throws IOException {
    long size = log.size();
    if (size == latestSize) {
      return Optional.empty();
    }
    return Optional.of(checkpointNow());
  }

  /** Signs and stores a checkpoint of the current head, whether or not it changed. */
  public synchronized String checkpointNow() throws IOException {
    long size = log.size();
    latest = append(log, origin, keys.name(), keys.pair(), clock.instant());
    latestSize = size;
    return latest;
  }

  /**
   * @return the latest signed note, if one was signed (never signs)
   */
  public Optional<String> latestIfAny() {
    return Optional.ofNullable(latest);
  }

  /**
   * @return the latest signed note, signing one first if there is none yet
   */
  public String latest() throws IOException {
    String l = latest;
    return l != null ? l : checkpointNow();
  }

  /**
   * @return whether this checkpointer has no ticker: checkpoints are signed only when asked for
   *     (tests)
   */
  public boolean onDemand() {
    return timer == null;
  }

  /**
   * @return how many ticks have failed since start
   */
  public long failures() {
    return failures.get();
  }

  /**
   * @return the last failure's message while ticks are failing; empty once one succeeds
   */
  public Optional<String> failing() {
    return consecutiveFailures == 0 ? Optional.empty() : Optional.ofNullable(lastError);
  }

  /**
   * Runs on the timer: never throws, so the timer never stops; failures back off and are counted.
   */
  void tickQuietly() {
    long now = clock.millis();
    if (now < retryAtMillis
        && retryAtMillis - now <= MAX_BACKOFF.toMillis()) { // a clock stepped back retries at once
      return;
    }
    try {
      tick();
      consecutiveFailures = 0;
      retryAtMillis = 0;
    } catch (IOException | RuntimeException e) {
      // INVARIANT: a failed tick acknowledges nothing; it is retried after a back-off, and counted
      failures.incrementAndGet();
      lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
      int n = Math.min(consecutiveFailures + 1, 20);
      consecutiveFailures = n;
      retryAtMillis = now + Math.min(MAX_BACKOFF.toMillis(), cadenceMillis << Math.min(n - 1, 15));
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /**
   * Signs {@code log}'s current tree head as a checkpoint at {@code at} and appends it to the log's
   * checkpoints file, synced.
   *
   * @return the signed note
   */
  public static String append(
      DurableLog log,
      String origin,
      String keyName,
      java.security.KeyPair keys,
      java.time.Instant at)
      throws IOException {
    return log.checkpoint(
        (size, root) ->
            Notes.sign(
                new Checkpoint(origin, size, root, at),
                keyName,
                keys.getPrivate(),
                keys.getPublic()));
  }
}
