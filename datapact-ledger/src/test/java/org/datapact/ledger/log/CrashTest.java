package org.datapact.ledger.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.datapact.ledger.crash.KilledChild;
import org.datapact.ledger.merkle.Hashes;
import org.datapact.ledger.merkle.MemoryTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM appending under load with SIGKILL at random moments, then reopens the log:
 * every acknowledged entry must be present at its index, and the tree must match the entries.
 * {@code -Ddatapact.crash.rounds=N} sets the rounds (50 by default; more for a long run), {@code
 * -Ddatapact.seed=S} the random moments.
 */
class CrashTest {
  private static final int ROUNDS = Integer.getInteger("datapact.crash.rounds", 50);
  private static final long SEED = Long.getLong("datapact.seed", 4242L);

  @TempDir Path dir;

  @Test
  @Timeout(600)
  void everyAcknowledgedEntrySurvivesSigkill() throws Exception {
    SplittableRandom rng = new SplittableRandom(SEED);
    Map<Long, String> acknowledged = new HashMap<>();
    long totalAcks = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long acks =
          KilledChild.run(
              CrashChild.class,
              1 + rng.nextInt(3_000),
              ack -> {
                int space = ack.indexOf(' ');
                acknowledged.put(Long.parseLong(ack.substring(0, space)), ack.substring(space + 1));
              },
              String.format("seed %d round %d", SEED, round),
              dir.toString(),
              Integer.toString(round),
              "8");
      totalAcks += acks;
      try (DurableLog log = DurableLog.open(dir, 16)) {
        for (Map.Entry<Long, String> a : acknowledged.entrySet()) {
          assertThat(a.getKey())
              .as("seed %d round %d: acknowledged index present", SEED, round)
              .isLessThan(log.size());
        }
        if (round % 10 == 9
            || round == ROUNDS - 1) { // the full check reads every entry: not every round
          MemoryTree reference = new MemoryTree();
          for (long i = 0; i < log.size(); i++) {
            byte[] e = log.entry(i);
            reference.append(Hashes.leaf(e));
            String expected = acknowledged.get(i);
            if (expected != null) {
              assertThat(new String(e, StandardCharsets.UTF_8))
                  .as("seed %d round %d index %d", SEED, round, i)
                  .isEqualTo(expected);
            }
          }
          assertThat(log.root(log.size()))
              .as("seed %d round %d: tree matches entries", SEED, round)
              .isEqualTo(reference.root(log.size()));
        }
      }
    }
    System.err.printf(
        "crash test: %d rounds, %d acknowledged entries, all present (seed %d)%n",
        ROUNDS, totalAcks, SEED);
  }
}
