package org.datapact.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.server.http.Json;
import org.datapact.server.ledger.ImpactReplay;
import org.datapact.server.ledger.LedgerEntries;
import org.datapact.server.ledger.LedgerService;
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
 * The impact replay of a draft over {@code entries} ledgered decisions (1,000,000 by default): the
 * decision benchmark's world (100,000 users) and traffic mix written to a real ledger — personal
 * fields sealed under each subject's key — over the last 20 days, then replayed under a draft of
 * the internal data-use policy without the ads unit's targeting permission. {@code decidePair}
 * measures the decision point alone on the same requests, deciding each twice as the replay does.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx8g"})
public class ImpactReplayBenchmark {
  @Param("1000000")
  public int entries;

  private Path dir = Path.of("");
  private final ObjectMapper mapper = Json.newMapper();
  private LedgerService ledger;
  private PolicySnapshot snapshot;
  private PolicySnapshot after;
  private AgreementRecord draft;
  private DecisionRequest[] mix = new DecisionRequest[0];
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    DecisionFixture f = new DecisionFixture(100_000, 20, 42);
    snapshot = f.snapshot;
    mix = f.mix;
    dir = Files.createTempDirectory("impact-bench");
    ledger = LedgerService.open(dir, Clock.systemUTC(), Duration.ofHours(1));
    LedgerEntries writer = new LedgerEntries(mapper, ledger);
    SplittableRandom rng = new SplittableRandom(7);
    List<CompletableFuture<Long>> pending = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      DecisionRequest r =
          mix[i % mix.length].at(DecisionFixture.NOW.minusSeconds(rng.nextInt(20 * 86_400)));
      Decision d = snapshot.decide(r);
      var country = r.subject() == null ? null : snapshot.countryOf(r.subject()).orElse(null);
      pending.add(ledger.recordAsync(writer.decision("d" + i, r, d, country)));
      if (pending.size() == 20_000) {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        pending.clear();
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    AgreementRecord policy =
        snapshot.agreements().stream()
            .filter(a -> a.terms().ref().equals("internal-data-use@1"))
            .findFirst()
            .orElseThrow();
    AgreementVersion t = policy.terms();
    draft =
        new AgreementRecord(
            new AgreementVersion(
                t.agreementId(),
                2,
                t.counterparty(),
                t.title(),
                DecisionFixture.NOW,
                null,
                t.permissions().stream().filter(p -> !p.id().equals("ads-targeting")).toList(),
                t.prohibitions(),
                t.duties()),
            List.of(
                new AgreementRecord.StatusChange(
                    AgreementStatus.PENDING_APPROVAL, DecisionFixture.NOW, "bench")));
    after = ImpactReplay.withDraft(snapshot, draft, DecisionFixture.NOW.minus(Duration.ofDays(30)));
    ImpactReplay.Result r = replay();
    System.out.printf(
        "%nimpact replay: %,d decisions replayed, %,d changed (%,d users), %.2f s, %,.0f decisions/s%n",
        r.replayed(), r.changed(), r.usersChanged(), r.seconds(), r.replayed() / r.seconds());
  }

  private ImpactReplay.Result replay() throws Exception {
    return ImpactReplay.run(
        dir, mapper, ledger.subjects(), snapshot, draft, DecisionFixture.NOW.plusSeconds(1), 30);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    ledger.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The whole replay: read, open personal fields, decide twice, compare. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public ImpactReplay.Result replayOneMillion() throws Exception {
    return replay();
  }

  /** The decision point alone: one request decided as the replay does, before and after. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 3, time = 2)
  public boolean decidePair() {
    DecisionRequest r = mix[next++ & (mix.length - 1)];
    return snapshot.allows(r) ^ after.allows(r);
  }
}
