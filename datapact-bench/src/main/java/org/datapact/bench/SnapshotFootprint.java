package org.datapact.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Measures the heap a decision snapshot retains: builds the benchmark fixture, then compares the
 * used heap after full collections with and without the snapshot. Usage: {@code java -cp ...
 * org.datapact.bench.SnapshotFootprint [users] [versions]}.
 */
public final class SnapshotFootprint {
  private SnapshotFootprint() {}

  private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(
          200); // let the collector settle between full collections (a measurement, not a test)
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** Prints one line with the snapshot's retained size. */
  @SuppressWarnings(
      "NullAway") // drops the fixture's snapshot on purpose, to measure what it retained
  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int versions = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    DecisionFixture f = new DecisionFixture(users, versions, 42);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long with = usedAfterGc(memory);
    long changes = f.snapshot.consentChanges();
    f.snapshot = null;
    long without = usedAfterGc(memory);
    double mib = (with - without) / 1024.0 / 1024.0;
    System.out.printf(
        Locale.ROOT,
        "users=%d versions=%d consent_changes=%d snapshot_retained=%.1f MiB (%.1f MiB per 1M users)%n",
        users,
        versions,
        changes,
        mib,
        mib * 1_000_000 / users);
  }
}
