package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.datapact.ledger.log.LogFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request for the checkpoint never makes the ledger sign or sync: it gets what the ticker signed.
 */
class CheckpointOnRequestTest {
  @TempDir Path dir;

  @Test
  void servingTheCheckpointNeverSignsANewOne() throws Exception {
    try (LedgerService ledger =
        LedgerService.open(
            dir, Clock.systemUTC(), Duration.ofHours(1))) { // a ticker that never ticks here
      ledger.record("first".getBytes(StandardCharsets.UTF_8));
      String first = ledger.checkpoint(); // the first note is signed once, at first use
      Path checkpoints = ledger.log().directory().resolve(LogFormat.CHECKPOINTS);
      long size = Files.size(checkpoints);
      for (int i = 0; i < 50; i++) {
        ledger.record(("entry " + i).getBytes(StandardCharsets.UTF_8));
        assertThat(ledger.checkpoint()).isEqualTo(first);
      }
      assertThat(Files.size(checkpoints)).as("no checkpoint signed on request").isEqualTo(size);
    }
  }
}
