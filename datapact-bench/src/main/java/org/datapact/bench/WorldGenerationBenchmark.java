package org.datapact.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.datapact.core.party.ClientCredential;
import org.datapact.core.party.Party;
import org.datapact.core.security.SecretHasher;
import org.datapact.core.user.User;
import org.datapact.core.world.ConsoleAccount;
import org.datapact.core.world.DemoWorldGenerator;
import org.datapact.core.world.FriendList;
import org.datapact.core.world.InboxThread;
import org.datapact.core.world.Message;
import org.datapact.core.world.ProgressListener;
import org.datapact.core.world.WorldSink;
import org.datapact.core.world.WorldSpec;
import org.datapact.store.Database;
import org.datapact.store.StoreConfig;
import org.datapact.store.world.WorldStore;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * How long the demo world takes to build, and where the time goes: the generator alone into a sink
 * that only consumes the rows (the compute floor, the peer), against the same generator loading the
 * embedded H2 store on disk. The ratio is the cost of storage.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class WorldGenerationBenchmark {
  @Param({"100000"})
  int users;

  private final DemoWorldGenerator generator = new DemoWorldGenerator(new SecretHasher(10_000));
  private Path dir;
  private Database db;

  @Setup(Level.Invocation)
  public void openStore() throws Exception {
    dir = Files.createTempDirectory("datapact-bench");
    db = Database.open(StoreConfig.embedded(dir));
  }

  @TearDown(Level.Invocation)
  public void closeStore() throws Exception {
    db.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The generator alone: every row is built and consumed, nothing is stored. */
  @Benchmark
  public void generateOnly(Blackhole bh) throws Exception {
    generator.generate(new WorldSpec(42, users), new ConsumingSink(bh), ProgressListener.NONE);
  }

  /** The generator loading the embedded H2 store, as {@code datapact demo} does. */
  @Benchmark
  public void generateIntoH2() throws Exception {
    new WorldStore(db)
        .ensure(generator, new WorldSpec(42, users), ProgressListener.NONE, Clock.systemUTC());
  }

  private record ConsumingSink(Blackhole bh) implements WorldSink {
    @Override
    public void parties(List<Party> parties) {
      bh.consume(parties);
    }

    @Override
    public void clients(List<ClientCredential> clients) {
      bh.consume(clients);
    }

    @Override
    public void consoleAccounts(List<ConsoleAccount> accounts) {
      bh.consume(accounts);
    }

    @Override
    public void users(List<User> batch) {
      bh.consume(batch);
    }

    @Override
    public void friendLists(List<FriendList> batch) {
      bh.consume(batch);
    }

    @Override
    public void threads(List<InboxThread> batch) {
      bh.consume(batch);
    }

    @Override
    public void messages(List<Message> batch) {
      bh.consume(batch);
    }

    @Override
    public void agreements(List<org.datapact.core.agreement.AgreementRecord> records) {
      bh.consume(records);
    }

    @Override
    public void attributes(List<org.datapact.core.world.UserAttributes> batch) {
      bh.consume(batch);
    }

    @Override
    public void signals(List<org.datapact.core.world.ViewingSignal> batch) {
      bh.consume(batch);
    }

    @Override
    public void advertisers(List<org.datapact.core.world.Advertiser> advertisers) {
      bh.consume(advertisers);
    }

    @Override
    public void campaigns(List<org.datapact.core.ads.Campaign> campaigns) {
      bh.consume(campaigns);
    }

    @Override
    public void interests(List<org.datapact.core.agreement.Interest> interests) {}

    @Override
    public void approvals(List<org.datapact.core.agreement.ApprovalRecord> approvals) {}

    @Override
    public void consents(List<org.datapact.core.consent.ConsentChange> batch) {
      bh.consume(batch);
    }
  }
}
