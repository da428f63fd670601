package org.datapact.ledger.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.datapact.ledger.log.DurableLog;

/**
 * Signs the log's tree head at a fixed cadence (default one second) and on demand, writing each
 * signed note to the log's checkpoint file. A tick signs only when the log has grown since the
 * last checkpoint, so an idle log does not fill its file with identical heads.
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
  private final ScheduledExecutorService timer;
  private volatile String latest;
  private long latestSize = -1;

  /**
   * @param log the log to checkpoint
   * @param origin the log's identity line
   * @param keys the signing key
   * @param clock timestamps the checkpoints
   * @param cadence how often to tick; {@link Duration#ZERO} for on-demand only
   */
  public Checkpointer(DurableLog log, String origin, SigningKeys keys, Clock clock, Duration cadence) {
    this.log = log;
    this.origin = origin;
    this.keys = keys;
    this.clock = clock;
    if (cadence.isZero()) {
      this.timer = null;
    } else {
      this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ledger-checkpointer");
        t.setDaemon(true);
        return t;
      });
      long ms = cadence.toMillis();
      timer.scheduleAtFixedRate(this::tickQuietly, ms, ms, TimeUnit.MILLISECONDS);
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
    latest = log.checkpoint(origin, keys.name(), keys.pair(), clock.instant());
    latestSize = size;
    return latest;
  }

  /** @return the latest signed note, signing one first if there is none yet */
  public String latest() throws IOException {
    String l = latest;
    return l != null ? l : checkpointNow();
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (IOException e) {
      // INVARIANT: a failed tick is retried on the next one; nothing is acknowledged by a checkpoint
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
