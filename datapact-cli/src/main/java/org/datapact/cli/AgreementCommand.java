package org.datapact.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Drafts;
import org.datapact.store.Database;
import org.datapact.store.policy.OdrlCodec;
import org.datapact.store.policy.PolicyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code datapact agreement export|import}: an agreement version as ODRL JSON-LD, out of the store
 * or into it as a draft (never in force; the server commits it to the ledger at its next start, and
 * two operators approve it). Stop the demo first: an embedded store has one user at a time.
 */
@Command(
    name = "agreement",
    mixinStandardHelpOptions = true,
    description = "Export an agreement version as ODRL JSON-LD, or import one as a draft.",
    subcommands = {AgreementCommand.Export.class, AgreementCommand.Import.class})
final class AgreementCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "choose an agreement command: export or import");
  }

  /** Prints one version's ODRL JSON-LD. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "Print a version as ODRL JSON-LD.")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Option(
        names = "--id",
        required = true,
        paramLabel = "AGREEMENT",
        description = "The agreement id.")
    String id = "";

    @Option(names = "--version", required = true, paramLabel = "N", description = "The version.")
    int version;

    @Override
    public Integer call() throws DataPactException {
      try (Database db = options.openFor(spec)) {
        AgreementRecord r =
            new PolicyStore(db)
                .agreements().stream()
                    .filter(
                        a -> a.terms().agreementId().equals(id) && a.terms().version() == version)
                    .findFirst()
                    .orElseThrow(
                        () ->
                            new DataPactException(
                                ErrorKind.NOT_FOUND,
                                "no agreement `" + id + "` version " + version));
        spec.commandLine().getOut().println(new OdrlCodec().toJson(r.terms()));
      }
      return ExitCodes.OK;
    }
  }

  /** Stores a document as the draft of the next version. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Import an ODRL JSON-LD document (with dp:agreement and the next dp:version) as a draft.",
        "A draft is never in force: submit it and have two operators approve it."
      })
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Parameters(index = "0", paramLabel = "FILE", description = "The ODRL JSON-LD document.")
    Path file = Path.of("");

    @Override
    public Integer call() throws DataPactException {
      String json;
      try {
        json = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION, "cannot read `" + file + "`: " + e.getMessage());
      }
      AgreementVersion v = new OdrlCodec().fromJson(json, "", 0);
      try (Database db = options.openFor(spec)) {
        PolicyStore policies = new PolicyStore(db);
        String by = "cli:" + System.getProperty("user.name", "unknown");
        policies.insertAgreements(
            List.of(Drafts.draft(policies.agreements(), v, Clock.systemUTC().instant(), by)));
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            "draft " + v.ref() + " stored; the server commits it to the ledger at its next start");
      }
      return ExitCodes.OK;
    }
  }
}
