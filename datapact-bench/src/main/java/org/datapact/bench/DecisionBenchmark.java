package org.datapact.bench;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.user.UserId;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decision point on the demo world's decision mix: {@code users} users' consents and
 * {@code versions} agreement versions. Peers in the same run: jCasbin with an equivalent ABAC
 * model ({@link CasbinPeer}) and Cedar through cedar-java with equivalent policies and entities
 * ({@link CedarPeer}); before anything is timed, all three must agree on every request of the
 * mix. Also times publishing a snapshot after one consent change.
 *
 * <p>Run with {@code datapact-bench/scripts/jmh.sh DecisionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
public class DecisionBenchmark {
  @Param({"1000000"})
  int users;

  @Param({"1000"})
  int versions;

  /**
   * How many requests of the mix cedar-java decides (checked and timed): each of its calls costs
   * milliseconds at this policy count, so checking all 4,096 would take most of an hour.
   */
  @Param({"256"})
  int cedarJavaRequests;

  private DecisionFixture fixture;
  private PolicySnapshot snapshot;
  private CasbinPeer casbin;
  private CedarPeer cedar;
  private ConsentChange[] changes;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    long start = System.nanoTime();
    fixture = new DecisionFixture(users, versions, 42);
    snapshot = fixture.snapshot;
    casbin = new CasbinPeer(fixture);
    cedar = new CedarPeer(fixture, casbin);
    int disagreements = 0;
    int allowed = 0;
    for (int i = 0; i < fixture.mix.length; i++) {
      boolean d = snapshot.decide(fixture.mix[i]).allowed();
      boolean c = casbin.enforce(casbin.requests[i]);
      boolean x = i < cedarJavaRequests ? cedar.authorize(i) : d;
      allowed += d ? 1 : 0;
      if (d != c || d != x) {
        disagreements++;
        if (disagreements <= 5) {
          System.err.println("[fixture] disagreement: " + fixture.mix[i] + " datapact=" + d + " jcasbin=" + c
              + " cedar=" + x + " reasons=" + snapshot.decide(fixture.mix[i]).reasons());
        }
      }
    }
    if (disagreements > 0) {
      throw new IllegalStateException(disagreements + " of " + fixture.mix.length + " requests decided differently");
    }
    changes = new ConsentChange[1024];
    for (int i = 0; i < changes.length; i++) {
      changes[i] = ConsentChange.revoke(UserId.of(1 + (i * 977L) % users), PartyId.of("streamflix"),
          ConsentTopic.of(Purpose.RECOMMENDATIONS), Instant.parse("2026-11-29T13:00:00Z"), "bench");
    }
    System.err.printf("[fixture] %d users, %d consent changes, %d agreement versions; %d/%d requests allowed; "
        + "datapact and jcasbin agree on all, cedar-java on the first %d too; built in %.1f s%n", users, fixture.consents.size(), fixture.agreements.size(),
        allowed, fixture.mix.length, cedarJavaRequests, (System.nanoTime() - start) / 1e9);
  }

  /** DataPact: one decision of the mix against the compiled snapshot. */
  @Benchmark
  public Decision datapactDecide() {
    return snapshot.decide(fixture.mix[next++ & (fixture.mix.length - 1)]);
  }

  /** Peer: jCasbin enforcing the same request with the equivalent ABAC model. */
  @Benchmark
  public boolean jcasbinEnforce() {
    return casbin.enforce(casbin.requests[next++ & (casbin.requests.length - 1)]);
  }

  /** Peer: Cedar through cedar-java (native library), the same request with equivalent policies. */
  @Benchmark
  public boolean cedarJavaAuthorize() throws Exception {
    return cedar.authorize(next++ % cedarJavaRequests);
  }

  /** DataPact: a new snapshot after one consent change (copy-on-write of one page). */
  @Benchmark
  public PolicySnapshot datapactSnapshotAfterConsentChange() {
    return snapshot.withConsent(changes[next++ & (changes.length - 1)]);
  }
}
