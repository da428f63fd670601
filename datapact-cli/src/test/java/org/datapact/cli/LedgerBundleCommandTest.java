package org.datapact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.datapact.core.agreement.ReportPeriod;
import org.datapact.core.security.SecretHasher;
import org.datapact.core.world.DemoWorldGenerator;
import org.datapact.core.world.ProgressListener;
import org.datapact.core.world.WorldSpec;
import org.datapact.server.ServerContext;
import org.datapact.server.http.Json;
import org.datapact.server.ledger.AuditorBundle;
import org.datapact.server.ledger.LedgerActivity;
import org.datapact.server.ledger.LedgerService;
import org.datapact.store.Database;
import org.datapact.store.StoreConfig;
import org.datapact.store.world.WorldStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerBundleCommandTest {
  @TempDir Path tmp;

  @Test
  void verifiesAnAuditorBundleOfflineAndRefusesOneSignedByAnotherKey() throws Exception {
    String url =
        "jdbc:h2:mem:b" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    Path bundle = tmp.resolve("bundle.json");
    Path key = tmp.resolve("ledger.vkey");
    try (Database db = Database.open(new StoreConfig(url, null, null, null))) {
      new WorldStore(db)
          .ensure(
              new DemoWorldGenerator(new SecretHasher(10_000)),
              new WorldSpec(7, 100),
              ProgressListener.NONE,
              Clock.systemUTC());
      for (Path dir : new Path[] {tmp.resolve("ledger"), tmp.resolve("other")}) {
        try (LedgerService ledger = LedgerService.open(dir, Clock.systemUTC(), Duration.ZERO)) {
          ServerContext context = ServerContext.create(db, Clock.systemUTC(), ledger, null);
          var mapper = Json.newMapper();
          var b =
              AuditorBundle.build(
                  ledger,
                  new LedgerActivity(ledger, mapper).now(),
                  ReportPeriod.parseAny("2013"),
                  "test",
                  Clock.systemUTC().instant(),
                  mapper);
          if (dir.endsWith("ledger")) {
            Files.writeString(bundle, mapper.writeValueAsString(b));
            Files.writeString(key, ledger.keys().verifierKey() + "\n");
          } else {
            Files.writeString(tmp.resolve("other.json"), mapper.writeValueAsString(b));
          }
          context.audit().close();
        }
      }
    }
    Cli ok =
        Cli.run("ledger", "verify", "--bundle", bundle.toString(), "--public-key", key.toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out())
        .contains("the bundle of 2013 verifies", "agreement versions", "table rows signed");
    Cli other =
        Cli.run(
            "ledger",
            "verify",
            "--bundle",
            tmp.resolve("other.json").toString(),
            "--public-key",
            key.toString());
    assertThat(other.exitCode()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(other.out()).contains("does NOT verify", "signature does not verify");
  }
}
