package org.datapact.ledger.subject;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.datapact.ledger.crash.KilledChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM appending to the subject index with SIGKILL at random moments, then reopens it
 * (no heads file: the table is rebuilt by the checked scan) and lets the next child go on from
 * where the index says it stops: every record the child saw appended must be in its subject's
 * chain, newest first, and nothing else. {@code -Ddatapact.seed=S} sets the random moments.
 */
class SubjectIndexCrashTest {
  private static final int ROUNDS = 12;
  private static final int SUBJECTS = 50;
  private static final long SEED = Long.getLong("datapact.seed", 7070L);

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void everyAppendedRecordSurvivesSigkill() throws Exception {
    SplittableRandom rng = new SplittableRandom(SEED);
    Path file = dir.resolve("subjects.idx");
    Map<Long, List<Long>> model = new HashMap<>(); // oldest first
    for (int round = 0; round < ROUNDS; round++) {
      KilledChild.run(
          SubjectIndexCrashChild.class,
          1 + rng.nextInt(20_000),
          ack -> {
            String[] p = ack.split(" ");
            List<Long> mine = model.computeIfAbsent(Long.parseLong(p[0]), k -> new ArrayList<>());
            long entry = Long.parseLong(p[1]);
            if (mine.isEmpty() || mine.get(mine.size() - 1) != entry) {
              mine.add(entry);
            }
          },
          String.format("seed %d round %d", SEED, round),
          file.toString(),
          Long.toString(SEED + round),
          Integer.toString(SUBJECTS));
      assertThat(dir.resolve("subjects.idx.heads")).doesNotExist();
      // the child may have died between appending a batch and printing all of it: records of that
      // batch are in the file without an ack (their entries are at or after the last one acked)
      long lastAck =
          model.values().stream().flatMap(List::stream).mapToLong(Long::longValue).max().orElse(-1);
      try (SubjectIndex index = SubjectIndex.open(file)) {
        assertThat(index.indexedThrough())
            .as("seed %d round %d", SEED, round)
            .isGreaterThan(lastAck);
        for (long k = 1; k <= SUBJECTS; k++) {
          List<Long> chain = index.entries(k, Long.MAX_VALUE, Integer.MAX_VALUE); // newest first
          List<Long> mine = model.getOrDefault(k, List.of());
          List<Long> before = new ArrayList<>(mine.stream().filter(e -> e < lastAck).toList());
          Collections.reverse(before);
          assertThat(chain.stream().filter(e -> e < lastAck).toList())
              .as("seed %d round %d subject %d", SEED, round, k)
              .isEqualTo(before);
          assertThat(chain)
              .as("seed %d round %d subject %d: acknowledged last batch", SEED, round, k)
              .containsAll(mine.stream().filter(e -> e >= lastAck).toList());
          List<Long> adopted = new ArrayList<>(chain); // what the next child goes on from
          Collections.reverse(adopted);
          model.put(k, adopted);
        }
      }
      Files.deleteIfExists(
          dir.resolve("subjects.idx.heads")); // the next child must rebuild by scanning again
    }
    System.err.printf(
        "subject index crash test: %d rounds, %d subjects, all records present (seed %d)%n",
        ROUNDS, model.size(), SEED);
  }
}
