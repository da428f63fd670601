package org.datapact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.security.SecretHasher;
import org.datapact.core.user.UserId;
import org.datapact.core.world.DemoWorldGenerator;
import org.datapact.core.world.ProgressListener;
import org.datapact.core.world.WorldSpec;
import org.datapact.ledger.checkpoint.Cosignatures;
import org.datapact.server.DataPactServer;
import org.datapact.server.ServerContext;
import org.datapact.server.ledger.LedgerService;
import org.datapact.server.ledger.WitnessFeature;
import org.datapact.store.Database;
import org.datapact.store.StoreConfig;
import org.datapact.store.world.WorldStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two witnesses, each a {@code datapact witness} run, cosign a growing log over HTTP; a server with
 * the same log key but another history (a fork) is refused by both, visibly.
 */
class WitnessCommandTest {
  @TempDir Path tmp;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** A log server over a world of its own, its ledger in {@code ledgerDir}. */
  private record Log(ServerContext context, DataPactServer server, Path ledgerDir) {
    String url() {
      return "http://127.0.0.1:" + server.port();
    }

    void grow(int decisions) throws Exception {
      for (int i = 0; i < decisions; i++) {
        DecisionRequest r =
            DecisionRequest.about(
                PartyId.of("streamflix"),
                UserId.of(1 + i),
                Scope.PROFILE_BASIC,
                Purpose.RECOMMENDATIONS,
                Clock.systemUTC().instant());
        context
            .audit()
            .decision(
                "d-" + UUID.randomUUID(),
                r,
                context.decisions().decide(r),
                context.decisions().snapshot().countryOf(UserId.of(1 + i)).orElseThrow());
      }
    }
  }

  private Log start(Path ledgerDir) throws Exception {
    Database db =
        Database.open(
            new StoreConfig(
                "jdbc:h2:mem:w"
                    + UUID.randomUUID().toString().replace("-", "")
                    + ";DB_CLOSE_DELAY=-1",
                null,
                null,
                null));
    open.add(db);
    new WorldStore(db)
        .ensure(
            new DemoWorldGenerator(new SecretHasher(10_000)),
            new WorldSpec(7, 100),
            ProgressListener.NONE,
            Clock.systemUTC());
    LedgerService ledger = LedgerService.open(ledgerDir, Clock.systemUTC(), Duration.ZERO);
    open.add(ledger);
    ServerContext context = ServerContext.create(db, Clock.systemUTC(), ledger, null);
    open.add(context.audit());
    DataPactServer server = DataPactServer.start(context, "127.0.0.1", 0);
    open.add(server);
    return new Log(context, server, ledgerDir);
  }

  private static Cli witness(String name, Path dir, Log log, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "witness",
                "--name",
                name,
                "--dir",
                dir.toString(),
                "--log-url",
                log.url(),
                "--log-key",
                log.context().ledger().keys().verifierKey()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void twoWitnessesCosignAGrowingLogAndBothRefuseAFork() throws Exception {
    Log log = start(tmp.resolve("a"));
    Path w1 = tmp.resolve("w1");
    Path w2 = tmp.resolve("w2");
    String k1 = witness("witness-one", w1, log, "--print-key").out().strip();
    String k2 = witness("witness-two", w2, log, "--print-key").out().strip();
    Files.writeString(WitnessFeature.witnessesFile(log.ledgerDir()), k1 + "\n" + k2 + "\n");

    for (int round = 0; round < 3; round++) {
      log.grow(3);
      for (var w : List.of(List.of("witness-one", w1), List.of("witness-two", w2))) {
        Cli run = witness((String) w.get(0), (Path) w.get(1), log, "--once");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("accepted by the log");
      }
    }
    var cosigned =
        new ObjectMapper()
            .readTree(
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(
                                URI.create(log.url() + "/api/v1/ledger/checkpoint/cosigned"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
    assertThat(cosigned.get("size").asLong()).isEqualTo(log.context().ledger().log().size());
    String note = cosigned.get("note").asText();
    for (String key : List.of(k1, k2)) {
      var k = Cosignatures.parseVerifierKey(key);
      assertThat(Cosignatures.verify(note, k.name(), k.rawPublicKey())).isPresent();
    }

    // a fork: the same log key signing another history, at the same URL's place
    Path forkDir = tmp.resolve("b");
    Files.createDirectories(forkDir);
    copy(log.ledgerDir().resolve("keys"), forkDir.resolve("keys"));
    Log fork = start(forkDir);
    fork.grow(12);
    assertThat(fork.context().ledger().origin()).isEqualTo(log.context().ledger().origin());
    for (var w : List.of(List.of("witness-one", w1), List.of("witness-two", w2))) {
      Cli run = witness((String) w.get(0), (Path) w.get(1), fork, "--once");
      assertThat(run.exitCode()).isEqualTo(WitnessCommand.REFUSED);
      assertThat(run.err())
          .contains("REFUSED checkpoint of size " + fork.context().ledger().log().size());
      assertThat(Files.readString(((Path) w.get(1)).resolve("refusals.log"))).isNotBlank();
    }
    // an unknown witness's cosignature is refused by the log
    Cli stranger = witness("witness-three", tmp.resolve("w3"), log, "--once");
    assertThat(stranger.out()).contains("403");
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
