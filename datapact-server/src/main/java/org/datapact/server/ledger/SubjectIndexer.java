package org.datapact.server.ledger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.datapact.ledger.log.LogReader;
import org.datapact.ledger.subject.SubjectIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ledger's subject index (pseudonym → entries: the user's own view of the ledger) up to
 * date, off the request path. Entries about subjects are offered by the log's sequencer, in the
 * order of the log ({@link LedgerService#record(byte[], java.util.function.LongConsumer)}), and
 * written to the {@link SubjectIndex} in batches by one thread. The index is derived data: on start
 * it catches up from the log, so a crash loses nothing but time.
 *
 * <p>The writer wakes every {@link #PERIOD_MS} ms rather than for each entry: a wake-up per entry
 * (a blocking queue's signal) cost a context switch per partner request, and context switches are
 * the dearest thing on the request path of a virtual machine (docs/benchmarks.md). A user's own
 * view therefore lags the ledger by up to that period; {@link #flush} hurries it.
 *
 * <p>A failed write or catch-up does not stop the indexer: it counts the failure ({@link
 * #failures()}, the metric {@code datapact.ledger.index.failures}), shows in readiness while it
 * lasts ({@link #failing()}), and retries with back-off (from {@link #FIRST_RETRY_MS} ms, doubling
 * to {@link #MAX_RETRY_MS} ms) by catching up from the log after the index's last record — the log
 * is the truth, so what was queued meanwhile and is already caught up is dropped, and the index
 * never holds a later entry after a gap.
 */
final class SubjectIndexer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SubjectIndexer.class);
  private static final int BATCH = 10_000;

  /** How long the writer sleeps when it finds nothing queued. */
  static final long PERIOD_MS = 50;

  /** The first wait before retrying after a failure. */
  static final long FIRST_RETRY_MS = 100;

  /** The longest wait between retries. */
  static final long MAX_RETRY_MS = 30_000;

  private record Offer(long key, long index) {}

  private final SubjectIndex index;
  private final ConcurrentLinkedQueue<Offer> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong offered = new AtomicLong();
  private final Thread thread;
  private final Object progress = new Object();
  private long written;
  private volatile boolean closing;

  /** Set while a write or a catch-up has failed and not yet been retried successfully. */
  private volatile boolean failing;

  private final AtomicLong failures = new AtomicLong();
  private final LongSupplier logSize;
  private final Path logDir;

  /** Whether the catch-up from the log has finished (guarded by {@code progress}). */
  private boolean caughtUp;

  /**
   * Starts the indexer; it first catches up with the entries of the log in {@code logDir} that the
   * index does not cover (up to {@code size}, the log's size now), then indexes what is offered.
   */
  SubjectIndexer(SubjectIndex index, Path logDir, LongSupplier logSize) {
    this.index = index;
    this.logDir = logDir;
    this.logSize = logSize;
    long size = logSize.getAsLong();
    this.thread =
        new Thread(
            () -> {
              try {
                catchUp(size);
              } catch (IOException | RuntimeException e) {
                failed(e, "catch-up");
              }
              synchronized (progress) {
                caughtUp = true;
                progress.notifyAll();
              }
              run();
            },
            "ledger-subject-indexer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Indexes the log's entries from the index's last record up to {@code to}. */
  private void catchUp(long to) throws IOException {
    long from = index.indexedThrough();
    if (to <= from) {
      return;
    }
    long start = System.nanoTime();
    long[] keys = new long[BATCH];
    long[] entries = new long[BATCH];
    int[] n = {0};
    try (LogReader log = LogReader.open(logDir)) {
      log.forEach(
          from,
          Math.min(to, log.size()),
          (i, entry) -> {
            for (String s : EntryCodec.subjectsOf(entry)) {
              if (n[0] == BATCH) {
                index.append(keys, entries, n[0]);
                n[0] = 0;
              }
              keys[n[0]] = SubjectIndex.key(s);
              entries[n[0]++] = i;
            }
          });
      index.append(keys, entries, n[0]);
      LOG.atInfo()
          .addKeyValue("from", from)
          .addKeyValue("to", to)
          .addKeyValue("ms", (System.nanoTime() - start) / 1_000_000)
          .log("ledger subject index caught up");
    }
  }

  private void failed(Exception e, String what) {
    boolean outageBegins = !failing;
    failing = true;
    long n = failures.incrementAndGet();
    // one WARN with the trace for the first failure of an outage, a line for the next ones
    if (outageBegins) {
      LOG.atWarn()
          .setCause(e)
          .addKeyValue("failures", n)
          .log("ledger subject index " + what + " failed; retrying");
    } else {
      LOG.atWarn()
          .addKeyValue("failures", n)
          .addKeyValue("error", String.valueOf(e))
          .log("ledger subject index " + what + " failed again; retrying");
    }
  }

  /**
   * Queues a durable entry about a subject. Called on the log's sequencer, in the order of the log:
   * must not block.
   */
  void offer(long key, long entry) {
    offered.incrementAndGet();
    queue.add(new Offer(key, entry)); // no signal: the writer comes by within PERIOD_MS
  }

  /**
   * Waits until the catch-up and everything offered so far are in the index; returns at once while
   * the indexer is failing (the user's view lags until a retry succeeds).
   */
  void flush() throws InterruptedException {
    LockSupport.unpark(thread);
    synchronized (progress) {
      long target = offered.get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((!caughtUp || written < target) && !closing && !failing) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("the subject index did not catch up within 30 s");
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
  }

  /** The writer's loop; a failed catch-up has already set {@link #failing}, so it retries first. */
  private void run() {
    long[] keys = new long[BATCH];
    long[] entries = new long[BATCH];
    long retryMs = FIRST_RETRY_MS;
    long skipBelow = 0; // after a recovery, offers of entries the catch-up already indexed
    while ((!closing || !queue.isEmpty()) && !Thread.currentThread().isInterrupted()) {
      if (failing) {
        if (closing) {
          break; // the next start catches up
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(retryMs));
        try {
          long to = logSize.getAsLong();
          catchUp(to);
          skipBelow = to;
          failing = false;
          retryMs = FIRST_RETRY_MS;
          LOG.atInfo()
              .addKeyValue("failures", failures.get())
              .log("ledger subject index recovered");
        } catch (IOException | RuntimeException e) {
          failed(e, "retry");
          retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
        }
        continue;
      }
      int n = 0;
      int polled = 0;
      for (Offer o; polled < BATCH && (o = queue.poll()) != null; polled++) {
        if (o.index() >= skipBelow) {
          keys[n] = o.key();
          entries[n++] = o.index();
        }
      }
      if (polled == 0) {
        LockSupport.parkNanos(
            TimeUnit.MILLISECONDS.toNanos(PERIOD_MS)); // flush() and close() unpark
        continue;
      }
      try {
        index.append(keys, entries, n);
      } catch (IOException | RuntimeException e) {
        // INVARIANT: the index is derived; what is not written here comes back with the retry's
        // catch-up, which begins after the index's last record
        failed(e, "write");
      } finally {
        synchronized (progress) {
          written += polled;
          progress.notifyAll();
        }
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  /**
   * @return whether a write or catch-up failed and its retry has not yet succeeded (the user's view
   *     misses entries)
   */
  boolean failing() {
    return failing;
  }

  /**
   * @return how many writes, catch-ups and retries have failed since start
   */
  long failures() {
    return failures.get();
  }
}
