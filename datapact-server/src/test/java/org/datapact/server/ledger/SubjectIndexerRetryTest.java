package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.datapact.ledger.log.DurableLog;
import org.datapact.ledger.subject.SubjectIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed subject-index write is counted, shown, and retried from the log; nothing is lost. */
class SubjectIndexerRetryTest {
  private static byte[] about(String pseudonym) {
    return ("{\"type\":\"decision\",\"subject\":\"" + pseudonym + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void retriesAFailedWriteFromTheLogAndCountsItInsteadOfStoppingForGood(@TempDir Path dir)
      throws Exception {
    String alice = "a".repeat(32);
    String bob = "b".repeat(32);
    long aliceKey = SubjectIndex.key(alice);
    long bobKey = SubjectIndex.key(bob);
    try (DurableLog log = DurableLog.open(dir.resolve("log"), 100);
        SubjectIndex index = SubjectIndex.open(dir.resolve("subjects.idx"));
        SubjectIndexer indexer = new SubjectIndexer(index, log.directory(), log::size)) {
      long first = log.append(about(alice), e -> indexer.offer(aliceKey, e)).get();
      indexer.flush();
      assertThat(index.entries(aliceKey, Long.MAX_VALUE, 10)).containsExactly(first);

      // a write the index refuses (a subject key of 0) fails the batch, and bob's entry is not
      // offered at all
      long second = log.append(about(bob), e -> indexer.offer(0, e)).get();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (indexer.failures() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(indexer.failures()).isEqualTo(1);

      // the retry catches up from the log: bob's entry, which the failed batch lost, is indexed
      while ((indexer.failing() || index.entries(bobKey, Long.MAX_VALUE, 10).isEmpty())
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(indexer.failing()).isFalse();
      assertThat(index.entries(bobKey, Long.MAX_VALUE, 10)).containsExactly(second);

      // and the indexer goes on indexing what is offered next
      long third = log.append(about(alice), e -> indexer.offer(aliceKey, e)).get();
      indexer.flush();
      assertThat(index.entries(aliceKey, Long.MAX_VALUE, 10)).containsExactly(third, first);
    }
  }
}
