package org.datapact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Year;
import java.time.ZoneOffset;
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
import org.datapact.server.ServerContext;
import org.datapact.server.ledger.LedgerService;
import org.datapact.store.Database;
import org.datapact.store.StoreConfig;
import org.datapact.store.world.WorldStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path tmp;

  @Test
  void publishesTheTransparencyReportOfAPeriodAndRefusesBesideARunningLedger() throws Exception {
    String url =
        "jdbc:h2:mem:t" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    String year = Integer.toString(Year.now(ZoneOffset.UTC).getValue());
    try (Database db = Database.open(new StoreConfig(url, null, null, null))) {
      new WorldStore(db)
          .ensure(
              new DemoWorldGenerator(new SecretHasher(10_000)),
              new WorldSpec(7, 100),
              ProgressListener.NONE,
              Clock.systemUTC());
      try (LedgerService ledger =
          LedgerService.open(tmp.resolve("ledger"), Clock.systemUTC(), Duration.ZERO)) {
        ServerContext context = ServerContext.create(db, Clock.systemUTC(), ledger, null);
        for (int i = 0; i < 60; i++) {
          DecisionRequest r =
              DecisionRequest.about(
                  PartyId.of("streamflix"),
                  UserId.of(1),
                  Scope.PROFILE_BASIC,
                  Purpose.RECOMMENDATIONS,
                  Clock.systemUTC().instant());
          var d = context.decisions().decide(r);
          assertThat(d.allowed()).isTrue();
          context
              .audit()
              .decision(
                  "read-" + i,
                  r,
                  d,
                  context.decisions().snapshot().countryOf(UserId.of(1)).orElseThrow());
        }
        // a server holds the ledger: the command cannot write beside it
        Cli busy =
            Cli.run(
                "report",
                "transparency",
                "--period",
                year,
                "--data-dir",
                tmp.toString(),
                "--db-url",
                url);
        assertThat(busy.exitCode()).isNotZero();
        assertThat(busy.err())
            .contains("one writer at a time", "POST /api/v1/transparency/releases");
        context.audit().close();
      }
      Cli csv =
          Cli.run(
              "report",
              "transparency",
              "--period",
              year,
              "--epsilon",
              "1",
              "--format",
              "csv",
              "--data-dir",
              tmp.toString(),
              "--db-url",
              url);
      assertThat(csv.exitCode()).as(csv.err()).isZero();
      assertThat(csv.out()).startsWith("period,partner,scope,purpose,country,releases\n");
      String line =
          csv.out()
              .lines()
              .filter(l -> l.contains(",streamflix,profile.basic,recommendations,"))
              .findFirst()
              .orElseThrow();
      long noisy = Long.parseLong(line.substring(line.lastIndexOf(',') + 1));
      assertThat(noisy).isBetween(40L, 80L); // 60 releases, noise of scale 1
      assertThat(csv.err()).contains("published release", "epsilon 1, ledger entry");

      Cli spent =
          Cli.run(
              "report",
              "transparency",
              "--period",
              year,
              "--data-dir",
              tmp.toString(),
              "--db-url",
              url);
      assertThat(spent.exitCode()).isNotZero();
      assertThat(spent.err()).contains("privacy budget of " + year + " is 1 and 1 of it is spent");
    }
  }
}
