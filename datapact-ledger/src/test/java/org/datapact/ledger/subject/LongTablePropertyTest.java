package org.datapact.ledger.subject;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The one open-addressing table against a HashMap, over seeded random puts and removals. */
class LongTablePropertyTest {
  @Test
  void agreesWithAHashMapOverRandomPutsAndRemovals() {
    long seed = Long.getLong("datapact.seed", System.nanoTime());
    System.out.println(
        "LongTablePropertyTest seed=" + seed + " (rerun with -Ddatapact.seed=" + seed + ")");
    SplittableRandom rng = new SplittableRandom(seed);
    for (int round = 0; round < 50; round++) {
      int width = 1 + round % 2; // one column (the key store's), two (the index's heads)
      LongTable table = new LongTable(width, 4);
      Map<Long, long[]> model = new HashMap<>();
      int keySpace = 1 + rng.nextInt(2_000); // small spaces force long probe runs and many removals
      for (int op = 0; op < 5_000; op++) {
        long key = 1 + rng.nextInt(keySpace) * 0x10000L; // clustered keys: colliding home slots
        if (rng.nextInt(3) == 0) {
          table.remove(key);
          model.remove(key);
        } else {
          long a = rng.nextLong();
          long b = rng.nextLong();
          if (width == 1) {
            table.put(key, a);
          } else {
            table.put(key, a, b);
          }
          model.put(key, new long[] {a, b});
        }
      }
      assertThat(table.size()).as("seed %d round %d", seed, round).isEqualTo(model.size());
      for (long key = 1; key <= keySpace * 0x10000L; key += 0x10000L) {
        long[] want = model.get(key);
        assertThat(table.get(key, 0, Long.MIN_VALUE))
            .as("seed %d key %d", seed, key)
            .isEqualTo(want == null ? Long.MIN_VALUE : want[0]);
        if (width == 2) {
          assertThat(table.get(key, 1, Long.MIN_VALUE))
              .isEqualTo(want == null ? Long.MIN_VALUE : want[1]);
        }
      }
      int[] seen = {0};
      table.forEach(
          (k, slot) -> {
            seen[0]++;
            assertThat(model).containsKey(k);
            assertThat(table.value(slot, 0)).isEqualTo(model.get(k)[0]);
          });
      assertThat(seen[0]).isEqualTo(model.size());
      assertThat(table.find(0)).isEqualTo(-1);
    }
  }
}
