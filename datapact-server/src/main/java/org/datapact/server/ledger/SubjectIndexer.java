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
import org.datapact.store.ledger.LedgerRecords;
import org.datapact.store.ledger.LedgerRecords.SubjectEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store's index from subject pseudonym to entry index (the user's own view of the
 * ledger) up to date, off the request path: durable entries are queued and written in batches by
 * one thread. The index is derived data: on start it catches up from the log, so a crash loses
 * nothing but time.
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

  private final LedgerRecords records;
  private final ConcurrentLinkedQueue<SubjectEntry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong offered = new AtomicLong();
  private final Thread thread;
  private final Object progress = new Object();
  private long written;
  private volatile boolean closing;

  /**
   * Starts the indexer; it first catches up with the entries of the log in {@code logDir} that the
   * index does not cover (up to {@code size}, the log's size now), then indexes what is offered.
   */
  SubjectIndexer(LedgerRecords records, Path logDir, long size) {
    this.records = records;
    this.thread = new Thread(() -> {
      catchUp(logDir, size);
      run();
    }, "ledger-subject-indexer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void catchUp(Path logDir, long to) {
    // entries are offered out of order by concurrent requests: rescan a window below the highest indexed row
    long from = Math.max(0, records.lastIndexed() + 1 - 65_536);
    if (to <= from) {
      return;
    }
    long start = System.nanoTime();
    List<SubjectEntry> batch = new ArrayList<>();
    try (LogReader log = LogReader.open(logDir)) {
      log.forEach(from, Math.min(to, log.size()), (i, entry) -> {
        for (String s : subjectsOf(entry)) {
          batch.add(new SubjectEntry(s, i));
        }
        if (batch.size() >= BATCH) {
          records.index(batch, true);
          batch.clear();
        }
      });
      records.index(batch, true);
      LOG.atInfo().addKeyValue("from", from).addKeyValue("to", to)
          .addKeyValue("ms", (System.nanoTime() - start) / 1_000_000).log("ledger subject index caught up");
    } catch (IOException | RuntimeException e) {
      // INVARIANT: the index is derived; the next start tries again
      LOG.atWarn().setCause(e).log("ledger subject index catch-up failed");
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

  /** Queues a durable entry about a subject. */
  void offer(String subject, long index) {
    offered.incrementAndGet();
    queue.add(new SubjectEntry(subject, index)); // no signal: the writer comes by within PERIOD_MS
  }

  /** Waits until everything offered so far is in the store. */
  void flush() throws InterruptedException {
    LockSupport.unpark(thread);
    synchronized (progress) {
      long target = offered.get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (written < target && !closing) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("the subject index did not catch up within 30 s");
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
  }

  private void run() {
    List<SubjectEntry> batch = new ArrayList<>(BATCH);
    while ((!closing || !queue.isEmpty()) && !Thread.currentThread().isInterrupted()) {
      try {
        for (SubjectEntry e; batch.size() < BATCH && (e = queue.poll()) != null; ) {
          batch.add(e);
        }
        if (batch.isEmpty()) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PERIOD_MS)); // flush() and close() unpark
          continue;
        }
        records.index(batch, false); // offered entries are newer than anything the catch-up saw
      } catch (RuntimeException e) {
        // INVARIANT: the index is derived; rows lost here come back with the next start's catch-up
        LOG.atWarn().addKeyValue("entries", batch.size()).setCause(e).log("ledger subject index write failed");
      } finally {
        if (!batch.isEmpty()) {
          synchronized (progress) {
            written += batch.size();
            progress.notifyAll();
          }
          batch.clear();
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
}
