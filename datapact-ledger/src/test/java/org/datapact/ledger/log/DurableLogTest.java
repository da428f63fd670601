package org.datapact.ledger.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.datapact.ledger.merkle.Hashes;
import org.datapact.ledger.merkle.MemoryTree;
import org.datapact.ledger.merkle.Proofs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableLogTest {
  @TempDir Path dir;

  static byte[] entry(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The reference: the same entries, in the log's order, in an in-memory tree. */
  static MemoryTree reference(DurableLog log) throws Exception {
    MemoryTree t = new MemoryTree();
    for (long i = 0; i < log.size(); i++) {
      t.append(Hashes.leaf(log.entry(i)));
    }
    return t;
  }

  @Test
  void runsDurableActionsInIndexOrderBeforeEachFutureCompletes() throws Exception {
    try (DurableLog log = DurableLog.open(dir, 10_000)) {
      List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Boolean> doneBefore = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      List<CompletableFuture<Long>> acks =
          java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < 8; t++) {
        int id = t;
        threads.add(
            new Thread(
                () -> {
                  for (int i = 0; i < 250; i++) {
                    CompletableFuture<Long>[] mine = new CompletableFuture[1];
                    mine[0] =
                        log.append(
                            entry("t" + id + "-" + i),
                            index -> {
                              seen.add(index);
                              doneBefore.add(mine[0] != null && mine[0].isDone());
                            });
                    acks.add(mine[0]);
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      for (CompletableFuture<Long> a : acks) {
        a.get();
      }
      assertThat(seen)
          .hasSize(2000)
          .isSorted()
          .doesNotHaveDuplicates(); // the log's order, whoever appended
      assertThat(doneBefore).containsOnly(false);
      // an action that throws fails neither its entry nor the log
      assertThat(
              log.append(
                      entry("x"),
                      index -> {
                        throw new IllegalStateException("boom");
                      })
                  .get())
          .isEqualTo(2000);
      assertThat(log.append(entry("y")).get()).isEqualTo(2001);
    }
  }

  @Test
  void concurrentAppendsAreAcknowledgedOnceDurableAndEveryProofVerifies() throws Exception {
    try (DurableLog log = DurableLog.open(dir, 10_000)) {
      List<CompletableFuture<Long>> acks = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      List<List<CompletableFuture<Long>>> perThread = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        List<CompletableFuture<Long>> mine = new ArrayList<>();
        perThread.add(mine);
        int id = t;
        threads.add(
            new Thread(
                () -> {
                  for (int i = 0; i < 250; i++) {
                    mine.add(log.append(entry("t" + id + "-" + i)));
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      perThread.forEach(acks::addAll);
      for (int t = 0; t < 8; t++) {
        for (int i = 0; i < 250; i++) {
          long index = perThread.get(t).get(i).get();
          assertThat(new String(log.entry(index), StandardCharsets.UTF_8))
              .isEqualTo("t" + t + "-" + i);
        }
      }
      assertThat(log.size()).isEqualTo(2_000);
      MemoryTree ref = reference(log);
      for (long n : new long[] {1, 2, 3, 7, 8, 1000, 1999, 2000}) {
        assertThat(log.root(n)).isEqualTo(ref.root(n));
      }
      for (long i = 0; i < 2_000; i += 97) {
        assertThat(
                Proofs.verifyInclusion(
                    Hashes.leaf(log.entry(i)),
                    i,
                    2_000,
                    log.inclusionProof(i, 2_000),
                    log.root(2_000)))
            .isTrue();
      }
      assertThat(
              Proofs.verifyConsistency(
                  777, 2_000, log.root(777), log.root(2_000), log.consistencyProof(777, 2_000)))
          .isTrue();
    }
  }

  @Test
  void refusesASecondWriterUntilTheFirstCloses() throws Exception {
    DurableLog first = DurableLog.open(dir, 100);
    first.append("one".getBytes(StandardCharsets.UTF_8)).get();
    assertThatThrownBy(() -> DurableLog.open(dir, 100))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("one writer at a time");
    first.close();
    try (DurableLog again = DurableLog.open(dir, 100)) {
      assertThat(again.size()).isEqualTo(1);
    }
  }

  @Test
  void reopeningKeepsEveryEntryAndTheRoot() throws Exception {
    byte[] root;
    try (DurableLog log = DurableLog.open(dir, 100)) {
      for (int i = 0; i < 37; i++) {
        log.append(entry("e" + i)).get();
      }
      root = log.root(37);
      assertThat(root).as("before reopening").isEqualTo(reference(log).root(37));
    }
    try (DurableLog log = DurableLog.open(dir, 100)) {
      assertThat(log.size()).isEqualTo(37);
      assertThat(log.root(37)).isEqualTo(root);
      assertThat(log.append(entry("e37")).get()).isEqualTo(37);
      assertThat(log.root(38)).isEqualTo(reference(log).root(38));
    }
  }

  @Test
  void aTornTailIsTruncatedAndTheLogGoesOn() throws Exception {
    try (DurableLog log = DurableLog.open(dir, 100)) {
      for (int i = 0; i < 10; i++) {
        log.append(entry("e" + i)).get();
      }
    }
    Path segment = dir.resolve("entries-000000.log");
    long intact = Files.size(segment);
    // half a record: a length and a few bytes, as a crash mid-write leaves it
    Files.write(segment, new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 9, 9}, StandardOpenOption.APPEND);
    try (DurableLog log = DurableLog.open(dir, 100)) {
      assertThat(log.size()).isEqualTo(10);
      assertThat(Files.size(segment)).isEqualTo(intact);
      assertThat(log.append(entry("e10")).get()).isEqualTo(10);
      assertThat(log.root(11)).isEqualTo(reference(log).root(11));
    }
  }

  @Test
  void derivedFilesThatLagTheEntriesAreRebuilt() throws Exception {
    byte[] root;
    try (DurableLog log = DurableLog.open(dir, 100)) {
      for (int i = 0; i < 100; i++) {
        log.append(entry("e" + i)).get();
      }
      root = log.root(100);
    }
    // as if the process died after the entries were synced but before the index and levels were
    // written
    try (var ch =
        java.nio.channels.FileChannel.open(dir.resolve("index.bin"), StandardOpenOption.WRITE)) {
      ch.truncate(8 * 60);
    }
    try (var ch =
        java.nio.channels.FileChannel.open(dir.resolve("level-0.bin"), StandardOpenOption.WRITE)) {
      ch.truncate(32 * 41);
    }
    Files.delete(dir.resolve("level-3.bin"));
    try (DurableLog log = DurableLog.open(dir, 100)) {
      assertThat(log.size()).isEqualTo(100);
      assertThat(log.root(100)).isEqualTo(root);
    }
  }

  /** Bytes the records of {@code entries} take in a segment. */
  private static long recordBytes(List<byte[]> entries) {
    return entries.stream().mapToLong(e -> LogFormat.recordSize(e.length)).sum();
  }

  @Test
  void theSegmentIsZeroFilledAheadOfItsRecordsAndCutBackOnClose() throws Exception {
    Path segment = LogFormat.segmentFile(dir, 0);
    List<byte[]> written = new ArrayList<>();
    try (DurableLog log = DurableLog.open(dir, 100)) {
      for (int i = 0; i < 20; i++) {
        written.add(entry("e" + i));
        log.append(written.get(i)).get();
      }
      long records = recordBytes(written);
      assertThat(Files.size(segment))
          .isGreaterThan(records)
          .isGreaterThanOrEqualTo(DurableLog.PREALLOCATE_BYTES);
      byte[] bytes = Files.readAllBytes(segment);
      for (int i = (int) records; i < bytes.length; i++) {
        assertThat(bytes[i]).as("byte %d", i).isZero();
      }
    }
    assertThat(Files.size(segment)).isEqualTo(recordBytes(written));
  }

  @Test
  void aCrashWithZerosAfterTheRecordsKeepsEveryEntry() throws Exception {
    Path crashed = dir.resolve("crashed");
    byte[] root;
    try (DurableLog log = DurableLog.open(dir.resolve("live"), 100)) {
      for (int i = 0; i < 50; i++) {
        log.append(entry("e" + i)).get();
      }
      root = log.root(50);
      // the files as a crash leaves them: the segment still zero-filled ahead of its records
      copyDirectory(dir.resolve("live"), crashed);
    }
    assertThat(Files.size(LogFormat.segmentFile(crashed, 0)))
        .isGreaterThan(DurableLog.PREALLOCATE_BYTES);
    try (DurableLog log = DurableLog.open(crashed, 100)) {
      assertThat(log.size()).isEqualTo(50);
      assertThat(log.root(50)).isEqualTo(root);
      assertThat(log.append(entry("e50")).get()).isEqualTo(50);
      assertThat(log.entry(50)).isEqualTo(entry("e50"));
      assertThat(log.root(51)).isEqualTo(reference(log).root(51));
    }
    try (LogReader r = LogReader.open(crashed)) {
      assertThat(r.size()).isEqualTo(51);
    }
  }

  @Test
  void rolledSegmentsEndAtTheirLastRecordAndReopenWithEveryEntry() throws Exception {
    List<byte[]> written = new ArrayList<>();
    byte[] root;
    Path crashed = dir.resolve("crashed");
    try (DurableLog log = DurableLog.open(dir.resolve("live"), 100, 4096)) {
      for (int i = 0; i < 300; i++) {
        written.add(entry("entry " + i + " " + "x".repeat(20 + i % 40)));
        log.append(written.get(i)).get();
      }
      root = log.root(300);
      copyDirectory(dir.resolve("live"), crashed);
    }
    int segments = 0;
    long bytes = 0;
    for (; Files.exists(LogFormat.segmentFile(crashed, segments)); segments++) {
      bytes += Files.size(LogFormat.segmentFile(crashed, segments));
    }
    assertThat(segments).isGreaterThan(3);
    for (int n = 0; n < segments - 1; n++) {
      assertThat(Files.size(LogFormat.segmentFile(crashed, n)))
          .as("segment %d", n)
          .isLessThanOrEqualTo(4096);
    }
    // only the last segment has zeros, and at most up to the roll size
    assertThat(bytes)
        .isGreaterThan(recordBytes(written))
        .isLessThanOrEqualTo(recordBytes(written) + 4096);
    try (DurableLog log = DurableLog.open(crashed, 100, 4096)) {
      assertThat(log.size()).isEqualTo(300);
      assertThat(log.root(300)).isEqualTo(root);
      for (int i = 0; i < 300; i += 37) {
        assertThat(log.entry(i)).isEqualTo(written.get(i));
      }
    }
    try (LogReader r = LogReader.open(crashed)) {
      List<byte[]> read = new ArrayList<>();
      r.forEach(r.size(), (i, e) -> read.add(e));
      assertThat(read).containsExactlyElementsOf(written);
    }
  }

  private static void copyDirectory(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  @Test
  void refusesEmptyAndOversizedEntriesAndAppendsAfterClose() throws Exception {
    DurableLog log = DurableLog.open(dir, 100);
    assertThatThrownBy(() -> log.append(new byte[0])).hasMessageContaining("from 1 to");
    assertThatThrownBy(() -> log.append(new byte[LogFormat.MAX_ENTRY_BYTES + 1]))
        .hasMessageContaining("from 1 to");
    log.close();
    assertThatThrownBy(() -> log.append(entry("late"))).hasMessageContaining("closed");
  }
}
