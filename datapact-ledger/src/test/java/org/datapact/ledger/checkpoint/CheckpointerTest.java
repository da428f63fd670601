package org.datapact.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.datapact.ledger.log.DurableLog;
import org.datapact.ledger.log.LogFormat;
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
        Checkpointer cp =
            new Checkpointer(log, "datapact.test/ledger", keys, clock, Duration.ZERO)) {
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
    LedgerVerifier.Result r =
        LedgerVerifier.verify(dir.resolve("log"), "node-1", keys.rawPublicKey());
    assertThat(r.ok()).as(r.message()).isTrue();
    assertThat(r.checkpoints()).isEqualTo(3);
  }

  @Test
  void aFailingTickIsCountedAndRetriedAndTheTickerKeepsGoing() throws Exception {
    SigningKeys keys = SigningKeys.loadOrCreate(dir.resolve("keys"), "node-1");
    Path logDir = dir.resolve("log");
    SteppedClock clock = new SteppedClock(Instant.parse("2026-12-03T12:00:00Z"));
    try (DurableLog log = DurableLog.open(logDir, 100);
        Checkpointer cp =
            new Checkpointer(log, "datapact.test/ledger", keys, clock, Duration.ZERO)) {
      log.append(new byte[] {1}).get();
      // the checkpoint file cannot be opened: a directory stands in its place
      java.nio.file.Files.createDirectory(logDir.resolve(LogFormat.CHECKPOINTS));
      cp.tickQuietly();
      assertThat(cp.failures()).isEqualTo(1);
      assertThat(cp.failing()).hasValueSatisfying(m -> assertThat(m).contains("checkpoints.log"));
      clock.advance(Duration.ofSeconds(1));
      cp.tickQuietly();
      assertThat(cp.failures()).isEqualTo(2);
      java.nio.file.Files.delete(logDir.resolve(LogFormat.CHECKPOINTS));
      clock.advance(Duration.ofSeconds(1));
      cp.tickQuietly(); // the disk is back: the next retry signs
      assertThat(cp.failing()).isEmpty();
      assertThat(Notes.verify(cp.latest(), "node-1", keys.rawPublicKey()).size()).isEqualTo(1);
    }
  }

  @Test
  void theTickerNeverStopsOnAFailure() throws Exception {
    SigningKeys keys = SigningKeys.loadOrCreate(dir.resolve("keys"), "node-1");
    Path logDir = dir.resolve("log");
    try (DurableLog log = DurableLog.open(logDir, 100);
        Checkpointer cp =
            new Checkpointer(
                log, "datapact.test/ledger", keys, Clock.systemUTC(), Duration.ofMillis(20))) {
      log.append(new byte[] {1}).get();
      java.nio.file.Files.createDirectory(logDir.resolve(LogFormat.CHECKPOINTS));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (cp.failures() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(cp.failures()).isGreaterThanOrEqualTo(2);
      java.nio.file.Files.delete(logDir.resolve(LogFormat.CHECKPOINTS));
      log.append(new byte[] {2}).get();
      while (cp.failing().isPresent() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(cp.failing()).as("the ticker signs again once the disk is back").isEmpty();
    }
  }

  /** A clock the test moves forward. */
  private static final class SteppedClock extends Clock {
    private volatile Instant now;

    SteppedClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
