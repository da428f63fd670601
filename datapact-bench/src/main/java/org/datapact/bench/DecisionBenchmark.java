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
 * The decision point on the demo world's decision mix: {@code users} users' consents and {@code
 * versions} agreement versions. Peers in the same run: jCasbin with an equivalent ABAC model
 * ({@link CasbinPeer}) and Cedar through cedar-java with equivalent policies and entities ({@link
 * CedarPeer}). Each engine has its own state, built only in the forks that time it, and a peer's
 * state refuses to start unless the peer decides every request it will be timed on exactly as
 * DataPact does. Also times publishing a snapshot after one consent change.
 *
 * <p>Run with {@code datapact-bench/scripts/decision-bench.sh}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx6g",
      "-XX:+UseParallelGC",
      "-XX:+UseTransparentHugePages",
      "-XX:+AlwaysPreTouch"
    })
public class DecisionBenchmark {

  /** The world, its snapshot and the request mix. */
  @State(Scope.Benchmark)
  public static class World {
    @Param({"1000000"})
    int users;

    @Param({"1000"})
    int versions;

    DecisionFixture fixture;
    PolicySnapshot snapshot;
    ConsentChange[] changes;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      long start = System.nanoTime();
      fixture = new DecisionFixture(users, versions, 42);
      snapshot = fixture.snapshot;
      changes = new ConsentChange[1024];
      for (int i = 0; i < changes.length; i++) {
        changes[i] =
            ConsentChange.revoke(
                UserId.of(1 + (i * 977L) % users),
                PartyId.of("streamflix"),
                ConsentTopic.of(Purpose.RECOMMENDATIONS),
                Instant.parse("2026-11-29T13:00:00Z"),
                "bench");
      }
      int allowed = 0;
      for (var r : fixture.mix) {
        allowed += snapshot.decide(r).allowed() ? 1 : 0;
      }
      System.err.printf(
          "[fixture] %d users, %d consent changes, %d agreement versions; %d/%d requests allowed; built in %.1f s%n",
          users,
          fixture.consents.size(),
          fixture.agreements.size(),
          allowed,
          fixture.mix.length,
          (System.nanoTime() - start) / 1e9);
    }

    boolean datapact(int i) {
      return snapshot.decide(fixture.mix[i]).allowed();
    }
  }

  /** jCasbin, checked against DataPact on the whole mix. */
  @State(Scope.Benchmark)
  public static class Casbin {
    CasbinPeer peer;

    @Setup(Level.Trial)
    public void setUp(World w) {
      peer = new CasbinPeer(w.fixture);
      for (int i = 0; i < w.fixture.mix.length; i++) {
        if (peer.enforce(peer.requests[i]) != w.datapact(i)) {
          throw new IllegalStateException("jcasbin and datapact disagree on " + w.fixture.mix[i]);
        }
      }
      System.err.printf(
          "[jcasbin] agrees with datapact on all %d requests%n", w.fixture.mix.length);
    }
  }

  /** cedar-java, checked against DataPact on the requests it is timed on. */
  @State(Scope.Benchmark)
  public static class Cedar {
    /**
     * How many requests of the mix cedar-java decides (checked and timed): each of its calls costs
     * a fifth of a second at this policy count, so checking all 4,096 would take most of an hour.
     */
    @Param({"256"})
    int cedarJavaRequests;

    CedarPeer peer;

    @Setup(Level.Trial)
    public void setUp(World w) throws Exception {
      peer = new CedarPeer(w.fixture, new CasbinPeer(w.fixture));
      for (int i = 0; i < cedarJavaRequests; i++) {
        if (peer.authorize(i) != w.datapact(i)) {
          throw new IllegalStateException(
              "cedar-java and datapact disagree on " + w.fixture.mix[i]);
        }
      }
      System.err.printf(
          "[cedar-java] agrees with datapact on the %d requests it is timed on%n",
          cedarJavaRequests);
    }
  }

  /** DataPact: one decision of the mix against the compiled snapshot. */
  @Benchmark
  public Decision datapactDecide(World w) {
    return w.snapshot.decide(w.fixture.mix[w.next++ & (w.fixture.mix.length - 1)]);
  }

  /** Peer: jCasbin enforcing the same request with the equivalent ABAC model. */
  @Benchmark
  public boolean jcasbinEnforce(World w, Casbin c) {
    return c.peer.enforce(c.peer.requests[w.next++ & (c.peer.requests.length - 1)]);
  }

  /** Peer: Cedar through cedar-java (native library), the same request with equivalent policies. */
  @Benchmark
  public boolean cedarJavaAuthorize(World w, Cedar c) throws Exception {
    return c.peer.authorize(w.next++ % c.cedarJavaRequests);
  }

  /** DataPact: a new snapshot after one consent change (copy-on-write of one page). */
  @Benchmark
  public PolicySnapshot datapactSnapshotAfterConsentChange(World w) {
    return w.snapshot.withConsent(w.changes[w.next++ & (w.changes.length - 1)]);
  }

  /**
   * DataPact: a new snapshot after one filed report (the agreements recompiled, so a permission the
   * missing report suspended is decided again); each call files a period no one filed yet.
   */
  @Benchmark
  public PolicySnapshot datapactSnapshotAfterFiling(World w) {
    return w.snapshot.withFiling(
        new org.datapact.core.agreement.Filing(
            org.datapact.core.party.PartyId.of("streamflix"),
            "recommendation_sends",
            Integer.toString(3000 + (w.next++ & 4095)) + "-01"));
  }
}
