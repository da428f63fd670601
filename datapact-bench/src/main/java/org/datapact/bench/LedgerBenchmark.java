package org.datapact.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.datapact.ledger.log.DurableLog;
import org.datapact.ledger.merkle.Hashes;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ledger against the machine's limits, in one run: durable appends (each appender waits for its
 * own acknowledgement; run with {@code -t 1}, {@code -t 8}, {@code -t 64}), inclusion and
 * consistency proofs on a log of {@code proofLeaves} entries, and the physical peers: SHA-256 of a
 * 65-byte node and a 256-byte leaf, and write+fdatasync of 256 B and 64 KiB on the same disk.
 *
 * <p>Run with {@code datapact-bench/scripts/ledger-bench.sh}.
 */
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class LedgerBenchmark {

  /**
   * @return a new directory under {@code -Ddatapact.bench.dir} (default {@code target}): the disk
   *     measured
   */
  static Path tempDir(String prefix) throws java.io.IOException {
    return Files.createTempDirectory(
        Path.of(System.getProperty("datapact.bench.dir", "target")).toAbsolutePath(), prefix);
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A fresh log per trial, for appends. */
  @State(Scope.Benchmark)
  public static class Appends {
    Path dir;
    DurableLog log;

    @Setup(Level.Trial)
    public void open() throws Exception {
      dir = tempDir("ledger");
      log = DurableLog.open(dir, 1 << 16);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      System.err.printf("[appends] %d entries durable%n", log.size());
      log.close();
      deleteTree(dir);
    }
  }

  /** A 256-byte entry per appender thread. */
  @State(Scope.Thread)
  public static class Entry {
    final byte[] bytes = new byte[256];
  }

  /** One durable append: returns once the entry is synced and in the tree. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long durableAppend(Appends a, Entry e) throws Exception {
    return a.log.append(e.bytes).get();
  }

  /** A log of {@code proofLeaves} entries for proof timing. */
  @State(Scope.Benchmark)
  public static class Proofs {
    @Param({"1000000"})
    long proofLeaves;

    Path dir;
    DurableLog log;
    long next;

    @Setup(Level.Trial)
    public void build() throws Exception {
      dir = tempDir("proofs");
      log = DurableLog.open(dir, 1 << 16);
      byte[] e = new byte[256];
      long start = System.nanoTime();
      @Nullable CompletableFuture<Long> last = null;
      for (long i = 0; i < proofLeaves; i++) {
        ByteBuffer.wrap(e).putLong(i);
        while (true) {
          try {
            last = log.append(e);
            break;
          } catch (org.datapact.ledger.log.LedgerBusyException busy) {
            Thread.onSpinWait();
          }
        }
      }
      if (last != null) {
        last.get();
      }
      System.err.printf(
          "[proofs] built %d entries in %.1f s%n", log.size(), (System.nanoTime() - start) / 1e9);
      log.close();
      long open = System.nanoTime();
      log = DurableLog.open(dir, 1 << 16);
      System.err.printf(
          "[proofs] reopened a log of %d entries in %.1f ms%n",
          log.size(), (System.nanoTime() - open) / 1e6);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      log.close();
      deleteTree(dir);
    }
  }

  /** An inclusion proof for a varying leaf of the whole log. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<byte[]> inclusionProof(Proofs p) {
    long n = p.log.size();
    return p.log.inclusionProof((p.next += 7_919) % n, n);
  }

  /** A consistency proof from a varying earlier size to the whole log. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<byte[]> consistencyProof(Proofs p) {
    long n = p.log.size();
    return p.log.consistencyProof(1 + (p.next += 7_919) % (n - 1), n);
  }

  /** Physical limit: SHA-256 of an interior node (1 + 32 + 32 bytes). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public byte[] sha256Node65() {
    return Hashes.node(LEFT, RIGHT);
  }

  /** Physical limit: SHA-256 of a 256-byte leaf. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public byte[] sha256Leaf256(Entry e) {
    return Hashes.leaf(e.bytes);
  }

  private static final byte[] LEFT = new byte[32];
  private static final byte[] RIGHT = new byte[32];

  /** A file on the benchmark's disk for write+sync timing. */
  @State(Scope.Thread)
  public static class Disk {
    Path file;
    FileChannel ch;
    final ByteBuffer small = ByteBuffer.allocate(256);
    final ByteBuffer large = ByteBuffer.allocate(64 * 1024);

    @Setup(Level.Trial)
    public void open() throws Exception {
      file = Files.createTempFile(tempDir("fsync"), "fsync", ".bin");
      ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      ch.close();
      deleteTree(java.util.Objects.requireNonNull(file.getParent()));
    }
  }

  /** Physical limit: append 256 bytes and fdatasync. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void writeSync256(Disk d) throws Exception {
    d.small.clear();
    d.ch.write(d.small);
    d.ch.force(false);
  }

  /** Physical limit: append 64 KiB and fdatasync. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void writeSync64k(Disk d) throws Exception {
    d.large.clear();
    d.ch.write(d.large);
    d.ch.force(false);
  }
}
