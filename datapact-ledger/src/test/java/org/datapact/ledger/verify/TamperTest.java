package org.datapact.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.log.DurableLog;
import org.datapact.ledger.log.LogFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any modification, deletion, reordering or truncation of an entry makes the verifier fail. */
class TamperTest {
  static final KeyPair KEYS = Notes.generateKeyPair();
  static final byte[] PUB = Notes.rawPublicKey(KEYS.getPublic());
  static final long SEED = Long.getLong("datapact.seed", 777L);
  static final int ENTRIES = 300;

  @TempDir Path dir;
  final List<Long> starts = new ArrayList<>(); // where each entry's record starts in segment 0

  @BeforeEach
  void buildLog() throws Exception {
    try (DurableLog log = DurableLog.open(dir, 1000)) {
      long at = 0;
      for (int i = 0; i < ENTRIES; i++) {
        byte[] e = ("decision " + i + " of the tamper test").getBytes(StandardCharsets.UTF_8);
        log.append(e).get();
        starts.add(at);
        at += org.datapact.ledger.log.LogFormat.recordSize(e.length);
        if (i % 50 == 49) {
          org.datapact.ledger.checkpoint.Checkpointer.append(
              log,
              "datapact.test/ledger",
              "test-key",
              KEYS,
              Instant.ofEpochSecond(1_800_000_000L + i));
        }
      }
    }
  }

  private LedgerVerifier.Result verify() throws Exception {
    return LedgerVerifier.verify(dir, "test-key", PUB);
  }

  private Path segment() {
    return LogFormat.segmentFile(dir, 0);
  }

  private List<byte[]> records() throws Exception {
    byte[] all = Files.readAllBytes(segment());
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < ENTRIES; i++) {
      long end = i + 1 < ENTRIES ? starts.get(i + 1) : all.length;
      out.add(java.util.Arrays.copyOfRange(all, starts.get(i).intValue(), (int) end));
    }
    return out;
  }

  private void writeRecords(List<byte[]> records) throws Exception {
    try (var out = Files.newOutputStream(segment())) {
      for (byte[] r : records) {
        out.write(r);
      }
    }
  }

  private int entryAt(long offset) {
    int i = 0;
    while (i + 1 < starts.size() && starts.get(i + 1) <= offset) {
      i++;
    }
    return i;
  }

  @Test
  void anUntouchedLogVerifies() throws Exception {
    LedgerVerifier.Result r = verify();
    assertThat(r.ok()).as(r.message()).isTrue();
    assertThat(r.entries()).isEqualTo(ENTRIES);
    assertThat(r.checkpoints()).isEqualTo(6);
    assertThat(r.message()).startsWith("ledger ok: 300 entries, 6 signed checkpoints");
  }

  @Test
  void flippingAnyByteOfAnEntryFailsAtThatEntry() throws Exception {
    byte[] original = Files.readAllBytes(segment());
    SplittableRandom rng = new SplittableRandom(SEED);
    for (int k = 0; k < 40; k++) {
      int pos = rng.nextInt(original.length);
      byte[] bytes = original.clone();
      bytes[pos] ^= (byte) (1 << rng.nextInt(8));
      Files.write(segment(), bytes);
      LedgerVerifier.Result r = verify();
      assertThat(r.ok()).as("seed %d: byte %d", SEED, pos).isFalse();
      assertThat(r.firstBadIndex())
          .as("seed %d: byte %d: %s", SEED, pos, r.message())
          .isEqualTo(entryAt(pos));
    }
  }

  @Test
  void flippingAnyByteOfTheDerivedFilesOrCheckpointsFails() throws Exception {
    SplittableRandom rng = new SplittableRandom(SEED);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> !p.equals(segment())).sorted().toList();
    }
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains("index.bin", "level-0.bin", "checkpoints.log");
    for (Path f : files) {
      byte[] original = Files.readAllBytes(f);
      for (int k = 0; k < 8 && original.length > 0; k++) {
        int pos = rng.nextInt(original.length);
        byte[] bytes = original.clone();
        bytes[pos] ^= (byte) (1 << rng.nextInt(8));
        Files.write(f, bytes);
        assertThat(verify().ok()).as("seed %d: %s byte %d", SEED, f.getFileName(), pos).isFalse();
      }
      Files.write(f, original);
    }
    assertThat(verify().ok()).isTrue();
  }

  @Test
  void deletingAnEntryFailsAtIt() throws Exception {
    List<byte[]> r = records();
    r.remove(123);
    writeRecords(r);
    LedgerVerifier.Result result = verify();
    assertThat(result.ok()).isFalse();
    assertThat(result.firstBadIndex()).as(result.message()).isEqualTo(123);
  }

  @Test
  void duplicatingAnEntryFailsAfterIt() throws Exception {
    List<byte[]> r = records();
    r.add(200, r.get(199));
    writeRecords(r);
    LedgerVerifier.Result result = verify();
    assertThat(result.ok()).isFalse();
    assertThat(result.firstBadIndex()).as(result.message()).isEqualTo(200);
  }

  @Test
  void swappingTwoEntriesFailsAtTheFirst() throws Exception {
    List<byte[]> r = records();
    byte[] a = r.get(41);
    r.set(41, r.get(42));
    r.set(42, a);
    writeRecords(r);
    LedgerVerifier.Result result = verify();
    assertThat(result.ok()).isFalse();
    assertThat(result.firstBadIndex()).as(result.message()).isEqualTo(41);
  }

  @Test
  void truncatingTheLogFailsAtTheFirstMissingEntry() throws Exception {
    List<byte[]> r = records();
    writeRecords(r.subList(0, 270));
    LedgerVerifier.Result result = verify();
    assertThat(result.ok()).isFalse();
    assertThat(result.firstBadIndex()).as(result.message()).isEqualTo(270);
  }

  @Test
  void aWrongPublicKeyFails() throws Exception {
    LedgerVerifier.Result r =
        LedgerVerifier.verify(
            dir, "test-key", Notes.rawPublicKey(Notes.generateKeyPair().getPublic()));
    assertThat(r.ok()).isFalse();
    assertThat(r.message()).contains("checkpoint 0");
  }
}
