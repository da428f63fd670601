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
  void concurrentAppendsAreAcknowledgedOnceDurableAndEveryProofVerifies() throws Exception {
    try (DurableLog log = DurableLog.open(dir, 10_000)) {
      List<CompletableFuture<Long>> acks = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      List<List<CompletableFuture<Long>>> perThread = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        List<CompletableFuture<Long>> mine = new ArrayList<>();
        perThread.add(mine);
        int id = t;
        threads.add(new Thread(() -> {
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
          assertThat(new String(log.entry(index), StandardCharsets.UTF_8)).isEqualTo("t" + t + "-" + i);
        }
      }
      assertThat(log.size()).isEqualTo(2_000);
      MemoryTree ref = reference(log);
      for (long n : new long[] {1, 2, 3, 7, 8, 1000, 1999, 2000}) {
        assertThat(log.root(n)).isEqualTo(ref.root(n));
      }
      for (long i = 0; i < 2_000; i += 97) {
        assertThat(Proofs.verifyInclusion(Hashes.leaf(log.entry(i)), i, 2_000, log.inclusionProof(i, 2_000), log.root(2_000))).isTrue();
      }
      assertThat(Proofs.verifyConsistency(777, 2_000, log.root(777), log.root(2_000), log.consistencyProof(777, 2_000))).isTrue();
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
    // as if the process died after the entries were synced but before the index and levels were written
    try (var ch = java.nio.channels.FileChannel.open(dir.resolve("index.bin"), StandardOpenOption.WRITE)) {
      ch.truncate(8 * 60);
    }
    try (var ch = java.nio.channels.FileChannel.open(dir.resolve("level-0.bin"), StandardOpenOption.WRITE)) {
      ch.truncate(32 * 41);
    }
    Files.delete(dir.resolve("level-3.bin"));
    try (DurableLog log = DurableLog.open(dir, 100)) {
      assertThat(log.size()).isEqualTo(100);
      assertThat(log.root(100)).isEqualTo(root);
    }
  }

  @Test
  void refusesOversizedEntriesAndAppendsAfterClose() throws Exception {
    DurableLog log = DurableLog.open(dir, 100);
    assertThatThrownBy(() -> log.append(new byte[DurableLog.MAX_ENTRY_BYTES + 1])).hasMessageContaining("at most");
    log.close();
    assertThatThrownBy(() -> log.append(entry("late"))).hasMessageContaining("closed");
  }
}
