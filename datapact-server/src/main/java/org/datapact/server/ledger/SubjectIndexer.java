package org.datapact.server.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.nio.file.Path;
import org.datapact.ledger.log.LogReader;
import org.datapact.ledger.subject.SubjectIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ledger's subject index (pseudonym → entries: the user's own view of the ledger) up to
 * date, off the request path. Entries about subjects are offered by the log's sequencer, in the
 * order of the log ({@link LedgerService#record(byte[], java.util.function.LongConsumer)}), and
 * written to the {@link SubjectIndex} in batches by one thread. The index is derived data: on
 * start it catches up from the log, so a crash loses nothing but time.
 *
 * <p>The writer wakes every {@link #PERIOD_MS} ms rather than for each entry: a wake-up per entry
 * (a blocking queue's signal) cost a context switch per partner request, and context switches are
 * the dearest thing on the request path of a virtual machine (docs/benchmarks.md). A user's own
 * view therefore lags the ledger by up to that period; {@link #flush} hurries it.
 */
final class SubjectIndexer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SubjectIndexer.class);
  private static final int BATCH = 10_000;
  /** How long the writer sleeps when it finds nothing queued. */
  static final long PERIOD_MS = 50;
  private static final JsonFactory JSON = new JsonFactory();

  private record Offer(long key, long index) {}

  private final SubjectIndex index;
  private final ConcurrentLinkedQueue<Offer> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong offered = new AtomicLong();
  private final Thread thread;
  private final Object progress = new Object();
  private long written;
  private volatile boolean closing;
  /**
   * Set when a write or the catch-up failed: the indexer then writes nothing more, so the index
   * never holds a later entry after a gap, and the next start catches up from its last record.
   */
  private volatile boolean stopped;
  /** Whether the catch-up from the log has finished (guarded by {@code progress}). */
  private boolean caughtUp;

  /**
   * Starts the indexer; it first catches up with the entries of the log in {@code logDir} that the
   * index does not cover (up to {@code size}, the log's size now), then indexes what is offered.
   */
  SubjectIndexer(SubjectIndex index, Path logDir, long size) {
    this.index = index;
    this.thread = new Thread(() -> {
      catchUp(logDir, size);
      synchronized (progress) {
        caughtUp = true;
        progress.notifyAll();
      }
      run();
    }, "ledger-subject-indexer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void catchUp(Path logDir, long to) {
    long from = index.indexedThrough();
    if (to <= from) {
      return;
    }
    long start = System.nanoTime();
    long[] keys = new long[BATCH];
    long[] entries = new long[BATCH];
    int[] n = {0};
    try (LogReader log = LogReader.open(logDir)) {
      log.forEach(from, Math.min(to, log.size()), (i, entry) -> {
        for (String s : subjectsOf(entry)) {
          if (n[0] == BATCH) {
            index.append(keys, entries, n[0]);
            n[0] = 0;
          }
          keys[n[0]] = SubjectIndex.key(s);
          entries[n[0]++] = i;
        }
      });
      index.append(keys, entries, n[0]);
      LOG.atInfo().addKeyValue("from", from).addKeyValue("to", to)
          .addKeyValue("ms", (System.nanoTime() - start) / 1_000_000).log("ledger subject index caught up");
    } catch (IOException | RuntimeException e) {
      // INVARIANT: the index is derived; the next start tries again from its last record
      stopped = true;
      LOG.atWarn().setCause(e).log("ledger subject index catch-up failed; the index stops until the next start");
    }
  }

  /**
   * @return the pseudonyms an entry is indexed under, read without building a tree: its
   *     {@code subject}, and for a listing the users it released (a decision's other released
   *     users are not indexed, as in {@link AuditTrail#decision})
   */
  static List<String> subjectsOf(byte[] entry) throws IOException {
    List<String> out = new ArrayList<>(1);
    boolean listing = false;
    try (JsonParser p = JSON.createParser(entry)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return out;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if ("type".equals(name) && t == JsonToken.VALUE_STRING) {
          listing = LedgerEntries.LISTING.equals(p.getText());
        } else if ("subject".equals(name) && t == JsonToken.VALUE_STRING) {
          out.add(p.getText());
        } else if (listing && "released".equals(name) && t == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.VALUE_STRING) {
            out.add(p.getText());
          }
        } else {
          p.skipChildren();
        }
      }
      return out;
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

  /** Waits until the catch-up and everything offered so far are in the index. */
  void flush() throws InterruptedException {
    LockSupport.unpark(thread);
    synchronized (progress) {
      long target = offered.get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((!caughtUp || written < target) && !closing) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("the subject index did not catch up within 30 s");
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
  }

  private void run() {
    long[] keys = new long[BATCH];
    long[] entries = new long[BATCH];
    while ((!closing || !queue.isEmpty()) && !Thread.currentThread().isInterrupted()) {
      int n = 0;
      for (Offer o; n < BATCH && (o = queue.poll()) != null; n++) {
        keys[n] = o.key();
        entries[n] = o.index();
      }
      if (n == 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PERIOD_MS)); // flush() and close() unpark
        continue;
      }
      try {
        if (!stopped) {
          index.append(keys, entries, n);
        }
      } catch (IOException | RuntimeException e) {
        // INVARIANT: the index is derived; what is not written here comes back with the next
        // start's catch-up, which begins after the index's last record
        stopped = true;
        LOG.atWarn().addKeyValue("entries", n).setCause(e)
            .log("ledger subject index write failed; the index stops until the next start");
      } finally {
        synchronized (progress) {
          written += n;
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

  /** @return whether the indexer stopped after a failure (a user's history then misses entries until restart) */
  boolean stopped() {
    return stopped;
  }
}
