package org.datapact.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.ledger.checkpoint.Checkpointer;
import org.datapact.server.http.Json;
import org.datapact.server.ledger.AuditTrail;
import org.datapact.server.ledger.LedgerService;
import org.datapact.server.transparency.TransparencyReports;
import org.datapact.store.Database;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code datapact report transparency}: publishes the public transparency report of a period. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Publish reports.",
    subcommands = {ReportCommand.Transparency.class})
final class ReportCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "choose a report: transparency");
  }

  /**
   * Publishes a release of the transparency report with the data directory's ledger and store, as
   * {@code POST /api/v1/transparency/releases} does on a running server (whose ledger this command
   * cannot write beside: it says so and stops). The release spends its epsilon from the year's
   * budget and is ledgered; the server shows it at {@code /transparency}.
   */
  @Command(
      name = "transparency",
      mixinStandardHelpOptions = true,
      description =
          "Count a period's partner releases from the ledger and publish them with differential"
              + " privacy (spends the year's privacy budget; ledgered).")
  static final class Transparency implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Option(
        names = "--period",
        required = true,
        description = "A month (2019-10), a quarter (2019-Q3) or a year (2019).")
    String period = "";

    @Option(
        names = "--epsilon",
        description = "The privacy loss to spend (default ${DEFAULT-VALUE}).",
        defaultValue = "0.25")
    String epsilon = "0.25";

    @Option(
        names = "--format",
        description = "json or csv (default ${DEFAULT-VALUE}).",
        defaultValue = "json")
    String format = "json";

    @Override
    public Integer call() throws DataPactException {
      if (!format.equals("json") && !format.equals("csv")) {
        throw DataPactException.invalid("--format must be json or csv, got `" + format + "`");
      }
      Path dataDir = options.dataDirFor(spec);
      PrintWriter out = spec.commandLine().getOut();
      try (Database db = options.openFor(spec)) {
        LedgerService ledger = open(dataDir);
        try (AuditTrail audit = new AuditTrail(ledger, db, Json.newMapper())) {
          var mapper = Json.newMapper();
          var r =
              TransparencyReports.secure(db, audit, mapper)
                  .publish(period, epsilon, by(), Clock.systemUTC().instant());
          if (format.equals("csv")) {
            out.print(TransparencyReports.csv(r));
          } else {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(r));
          }
          out.flush();
          spec.commandLine()
              .getErr()
              .printf(
                  "published release %s of %s: %d cells, epsilon %s, ledger entry %d%n",
                  r.id(), r.period(), r.cells().size(), r.epsilon(), r.ledgerIndex());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException("cannot write the release", e);
        } finally {
          close(ledger);
        }
      }
      return ExitCodes.OK;
    }

    private static LedgerService open(Path dataDir) throws DataPactException {
      try {
        return LedgerService.open(
            dataDir.resolve("ledger"), Clock.systemUTC(), Checkpointer.DEFAULT_CADENCE);
      } catch (DataPactException e) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION,
            e.getMessage()
                + " — while a server runs on this data directory, publish with POST"
                + " /api/v1/transparency/releases (or the operator's transparency page)",
            e);
      }
    }

    private static void close(@Nullable LedgerService ledger) {
      if (ledger == null) {
        return;
      }
      try {
        ledger.close();
      } catch (IOException e) {
        // the release is durable already; closing only syncs derived files
      }
    }

    private static String by() {
      return "cli:" + System.getProperty("user.name", "unknown");
    }
  }
}
