package org.datapact.server.partner;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.datapact.store.partner.PartnerData;

/**
 * Writes the rows of released recommendations in groups: the sends that arrive while one group is
 * being written form the next, and each group is one transaction of JDBC batches ({@link
 * PartnerData#sendRecommendations}). A send cost a transaction and five or six statements of its
 * own on its request thread, most of its CPU (docs/benchmarks.md); grouped, it costs its rows.
 *
 * <p>A send is written only after its ledger entry is durable (the caller submits it then), and
 * answered only once written: the future completes with the thread ids, or with the store's failure
 * (which the problem mapper answers as 503 when the store is unreachable). When a group fails, each
 * of its sends is written alone, so that one send's failure is never another's.
 *
 * <p>One writer thread at a time, started on demand and ended after 30 s idle (no thread outlives a
 * server that is closed). Thread-safe.
 */
final class SendWriter {
  /** Most sends in one transaction. */
  static final int MAX_GROUP = 256;

  private record Pending(
      List<PartnerData.Recommendation> rows, CompletableFuture<List<Long>> done) {}

  private final PartnerData data;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final java.util.concurrent.Executor thread;
  private final java.util.concurrent.atomic.AtomicInteger largest =
      new java.util.concurrent.atomic.AtomicInteger();

  SendWriter(PartnerData data) {
    this(data, writerThread());
  }

  /**
   * @param thread runs the drain, one at a time (tests pass one they run when they choose)
   */
  SendWriter(PartnerData data, java.util.concurrent.Executor thread) {
    this.data = data;
    this.thread = thread;
  }

  private static ThreadPoolExecutor writerThread() {
    ThreadPoolExecutor thread =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "datapact-send-writer");
              t.setDaemon(true);
              return t;
            });
    thread.allowCoreThreadTimeOut(true);
    return thread;
  }

  /**
   * @param rows one send's recommendations, one per recipient
   * @return a future completing with their thread ids, in order, once they are committed
   */
  CompletableFuture<List<Long>> write(List<PartnerData.Recommendation> rows) {
    Pending p = new Pending(rows, new CompletableFuture<>());
    queue.add(p);
    if (draining.compareAndSet(false, true)) {
      thread.execute(this::drain);
    }
    return p.done();
  }

  /**
   * @return the most sends one transaction has held so far
   */
  int largestGroup() {
    return largest.get();
  }

  private void drain() {
    List<Pending> group = new ArrayList<>();
    while (true) {
      group.clear();
      int rows = 0;
      Pending p;
      while (rows < MAX_GROUP && (p = queue.poll()) != null) {
        group.add(p);
        rows += p.rows().size();
      }
      if (group.isEmpty()) {
        draining.set(false);
        // a send queued after the poll above and before the flag fell found it still set
        if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      commit(group);
    }
  }

  private void commit(List<Pending> group) {
    List<PartnerData.Recommendation> all = new ArrayList<>();
    group.forEach(p -> all.addAll(p.rows()));
    List<Long> ids;
    largest.accumulateAndGet(group.size(), Math::max);
    try {
      ids = data.sendRecommendations(all);
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        group.get(0).done().completeExceptionally(e);
        return;
      }
      for (Pending p : group) { // one send's failure is never another's
        commit(List.of(p));
      }
      return;
    }
    int at = 0;
    for (Pending p : group) {
      int n = p.rows().size();
      p.done().complete(List.copyOf(ids.subList(at, at + n)));
      at += n;
    }
  }
}
