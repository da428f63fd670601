package org.datapact.ledger.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datapact.ledger.merkle.Proofs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
  @TempDir Path dir;

  private void write(int n) throws Exception {
    try (DurableLog log = DurableLog.open(dir, 1024)) {
      for (int i = 0; i < n; i++) {
        log.append(("entry number " + i + "x".repeat(i % 17)).getBytes(StandardCharsets.UTF_8));
      }
      log.append(new byte[] {0}).get();
    }
  }

  @Test
  void streamsAnyRangeInOrderAndMatchesRandomAccess() throws Exception {
    write(500);
    try (LogReader r = LogReader.open(dir)) {
      assertThat(r.size()).isEqualTo(501);
      for (long from : new long[] {0, 1, 250, 499, 501}) {
        List<Long> seen = new ArrayList<>();
        r.forEach(
            from,
            r.size(),
            (i, e) -> {
              assertThat(e).isEqualTo(r.entry(i));
              seen.add(i);
            });
        assertThat(seen).hasSize((int) (r.size() - from));
        if (!seen.isEmpty()) {
          assertThat(seen.get(0)).isEqualTo(from);
        }
      }
    }
  }

  @Test
  void reportsAnAlteredEntry() throws Exception {
    write(10);
    Path segment = LogFormat.segmentFile(dir, 0);
    byte[] bytes = Files.readAllBytes(segment);
    bytes[LogFormat.recordSize("entry number 0".length()) + 8 + 3] ^= 1;
    Files.write(segment, bytes);
    try (LogReader r = LogReader.open(dir)) {
      assertThatThrownBy(() -> r.entry(1))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("entry 1");
      assertThatThrownBy(() -> r.forEach(r.size(), (i, e) -> {})).hasMessageContaining("entry 1");
    }
  }

  @Test
  void treeLevelsOpenedOnTheirOwnGiveTheLogsProofs() throws Exception {
    write(300);
    try (DurableLog log = DurableLog.open(dir, 16);
        TreeLevels tree = TreeLevels.open(dir, log.size())) {
      assertThat(tree.root(log.size())).isEqualTo(log.root(log.size()));
      assertThat(Proofs.inclusion(123, log.size(), tree))
          .containsExactlyElementsOf(log.inclusionProof(123, log.size()));
    }
    assertThatThrownBy(() -> TreeLevels.open(dir, 10_000)).isInstanceOf(IOException.class);
  }

  @Test
  void aDirectoryWithoutALogIsRefused() {
    assertThatThrownBy(() -> LogReader.open(dir.resolve("none")))
        .hasMessageContaining("holds no ledger log");
  }
}
