package org.datapact.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.datapact.ledger.log.DurableLog;
import org.datapact.ledger.verify.LedgerVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {
  @TempDir Path dir;

  @Test
  void signsOnlyWhenTheLogGrewAndEveryCheckpointVerifies() throws Exception {
    SigningKeys keys = SigningKeys.loadOrCreate(dir.resolve("keys"), "node-1");
    Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
    try (DurableLog log = DurableLog.open(dir.resolve("log"), 100);
        Checkpointer cp = new Checkpointer(log, "datapact.test/ledger", keys, clock, Duration.ZERO)) {
      assertThat(cp.tick()).isPresent(); // the empty log's first head
      assertThat(cp.tick()).isEmpty();
      log.append(new byte[] {1}).get();
      String note = cp.tick().orElseThrow();
      assertThat(Notes.verify(note, "node-1", keys.rawPublicKey()).size()).isEqualTo(1);
      assertThat(cp.tick()).isEmpty();
      assertThat(cp.latest()).isEqualTo(note);
      log.append(new byte[] {2}).get();
      cp.checkpointNow();
    }
    LedgerVerifier.Result r = LedgerVerifier.verify(dir.resolve("log"), "node-1", keys.rawPublicKey());
    assertThat(r.ok()).as(r.message()).isTrue();
    assertThat(r.checkpoints()).isEqualTo(3);
  }
}
