package org.datapact.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.datapact.ledger.subject.SubjectIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The subject index (pseudonym → ledger entries) as the server writes it, a batch of {@value
 * #BATCH} entries about {@code subjects} users at a time: into {@link SubjectIndex}'s append-only
 * chain file, and into its peer, the H2 table it replaced ({@code ledger_subject_entry}: primary
 * key (subject, entry), a secondary index on the entry; one transaction per batch, file-backed as
 * the demo's store). Score: entries per second; run with {@code -prof gc} for the bytes allocated
 * per entry, which is what the garbage collector pays for under partner load (docs/benchmarks.md).
 *
 * <p>Run with {@code datapact-bench/scripts/jmh.sh SubjectIndexBenchmark -prof gc}.
 */
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class SubjectIndexBenchmark {
  static final int BATCH = 1_000;

  @Param({"10000"})
  public int subjects;

  private Path dir;
  private SubjectIndex index;
  private Connection h2;
  private PreparedStatement insert;
  private long[] keyPool;
  private final long[] keys = new long[BATCH];
  private final long[] entries = new long[BATCH];
  private long next;
  private SplittableRandom random;

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = LedgerBenchmark.tempDir("subject-index");
    index = SubjectIndex.open(dir.resolve("subjects.idx"));
    h2 = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("h2").toAbsolutePath());
    try (Statement s = h2.createStatement()) {
      s.execute(
          "CREATE TABLE ledger_subject_entry (subject BIGINT NOT NULL, entry_index BIGINT NOT NULL,"
              + " PRIMARY KEY (subject, entry_index))");
      s.execute("CREATE INDEX ledger_subject_entry_index ON ledger_subject_entry (entry_index)");
    }
    h2.setAutoCommit(false);
    insert =
        h2.prepareStatement(
            "INSERT INTO ledger_subject_entry (subject, entry_index) VALUES (?, ?)");
    random = new SplittableRandom(42);
    keyPool = new long[subjects];
    for (int i = 0; i < subjects; i++) {
      keyPool[i] = random.nextLong() | 1; // a pseudonym's first 64 bits, never 0
    }
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    index.close();
    insert.close();
    h2.close();
    LedgerBenchmark.deleteTree(dir);
  }

  /** The next batch: one entry per call, each about a random subject, in the order of the log. */
  private void nextBatch() {
    for (int i = 0; i < BATCH; i++) {
      keys[i] = keyPool[random.nextInt(subjects)];
      entries[i] = next++;
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void chainFile() throws Exception {
    nextBatch();
    index.append(keys, entries, BATCH);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void h2Table() throws Exception {
    nextBatch();
    for (int i = 0; i < BATCH; i++) {
      insert.setLong(1, keys[i]);
      insert.setLong(2, entries[i]);
      insert.addBatch();
    }
    insert.executeBatch();
    h2.commit();
  }
}
