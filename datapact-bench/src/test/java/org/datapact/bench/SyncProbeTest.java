package org.datapact.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync probe makes the syncs it reports, at its rate, and leaves nothing behind. */
class SyncProbeTest {
  private static final Pattern LINE =
      Pattern.compile(
          "sync probe: (\\d+) syncs of 4096 bytes at 50/s: p50=([0-9.]+)ms p90=([0-9.]+)ms p99=([0-9.]+)ms p99\\.9=([0-9.]+)ms max=([0-9.]+)ms");

  @Test
  void syncsAtItsRateAndReportsOrderedPercentiles(@TempDir Path dir) throws Exception {
    String line = SyncProbe.run(dir, 0.5, 4096, 50);

    Matcher m = LINE.matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    // 0.5 s at 50 syncs a second: 25 due; a slow disk may overrun a slot but never adds one
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(25);
    double p50 = Double.parseDouble(m.group(2));
    double p99 = Double.parseDouble(m.group(4));
    double max = Double.parseDouble(m.group(6));
    assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
    assertThat(p99).isLessThanOrEqualTo(max);
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
