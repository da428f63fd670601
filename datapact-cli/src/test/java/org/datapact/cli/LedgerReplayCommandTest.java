package org.datapact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.security.SecretHasher;
import org.datapact.core.user.UserId;
import org.datapact.core.world.DemoWorldGenerator;
import org.datapact.core.world.ProgressListener;
import org.datapact.core.world.WorldSpec;
import org.datapact.server.ServerContext;
import org.datapact.server.ledger.LedgerService;
import org.datapact.store.Database;
import org.datapact.store.StoreConfig;
import org.datapact.store.world.WorldStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerReplayCommandTest {
  @TempDir Path tmp;

  @Test
  void replaysADecisionAndRefusesAnEntryThatIsNotOne() throws Exception {
    Path ledgerDir = tmp.resolve("ledger");
    long index;
    try (Database db =
        Database.open(
            new StoreConfig(
                "jdbc:h2:mem:r"
                    + UUID.randomUUID().toString().replace("-", "")
                    + ";DB_CLOSE_DELAY=-1",
                null,
                null,
                null))) {
      new WorldStore(db)
          .ensure(
              new DemoWorldGenerator(new SecretHasher(10_000)),
              new WorldSpec(7, 100),
              ProgressListener.NONE,
              Clock.systemUTC());
      try (LedgerService ledger = LedgerService.open(ledgerDir, Clock.systemUTC(), Duration.ZERO)) {
        ServerContext context = ServerContext.create(db, Clock.systemUTC(), ledger, null);
        DecisionRequest r =
            DecisionRequest.about(
                org.datapact.core.party.PartyId.of("ads"),
                UserId.of(1),
                Scope.DATA_USE,
                Purpose.AD_TARGETING,
                Clock.systemUTC().instant());
        var d = context.decisions().decide(r);
        index =
            context
                .audit()
                .decision(
                    "test-decision",
                    r,
                    d,
                    context.decisions().snapshot().countryOf(UserId.of(1)).orElseThrow());
        context.audit().close();
      }
    }
    Cli ok =
        Cli.run("ledger", "replay", "--dir", ledgerDir.toString(), "--index", Long.toString(index));
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out().strip()).startsWith("entry " + index + " replays: allow from ");
    Cli json =
        Cli.run(
            "ledger",
            "replay",
            "--json",
            "--dir",
            ledgerDir.toString(),
            "--index",
            Long.toString(index));
    assertThat(json.out()).contains("\"outcome\":\"MATCH\"");
    Cli notDecision = Cli.run("ledger", "replay", "--dir", ledgerDir.toString(), "--index", "0");
    assertThat(notDecision.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(notDecision.out()).contains("is a `parties` entry, not a decision");
    Cli missing = Cli.run("ledger", "replay", "--dir", ledgerDir.toString(), "--index", "999999");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("no entry 999999");
    Cli noLedger =
        Cli.run("ledger", "replay", "--dir", tmp.resolve("nothing").toString(), "--index", "1");
    assertThat(noLedger.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
  }
}
