package org.datapact.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code datapact} command. Every failure ends with one line on standard error naming the
 * problem and a stable non-zero exit code ({@link ExitCodes}); stack traces go nowhere near the
 * terminal unless {@code DATAPACT_DEBUG=1}.
 */
@Command(
    name = "datapact",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description =
        "Accountable data sharing between a social platform, its partners and its internal units.",
    subcommands = {
      DemoCommand.class,
      ServeCommand.class,
      LedgerCommand.class,
      AdsCommand.class,
      AgreementCommand.class,
      PartnerCommand.class,
      ReportCommand.class,
      WitnessCommand.class,
      ReceiptCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error",
      "2:usage error",
      "3:configuration error (bad value, unwritable data dir)",
      "4:unavailable (database unreachable, port in use)",
      "5:verification failed (the ledger does not verify)"
    })
public final class Main implements Runnable {
  final Map<String, String> env;

  @Spec CommandSpec spec;

  Main(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "choose a command: demo, serve, ledger or version");
  }

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    int code =
        execute(
            args,
            System.getenv(),
            new PrintWriter(
                new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8),
                true),
            new PrintWriter(
                new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8),
                true));
    System.exit(code);
  }

  /** Runs the CLI in-process; returns the exit code. */
  static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main(env), new Factory(env));
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if ("1".equals(env.get("DATAPACT_DEBUG"))) {
            ex.printStackTrace(err);
          }
          if (ex instanceof DataPactException d) {
            err.println("datapact: error: " + d.getMessage());
            err.flush();
            return ExitCodes.of(d.kind());
          }
          err.println(
              "datapact: internal error: "
                  + ex
                  + " (run with DATAPACT_DEBUG=1 for the stack trace)");
          err.flush();
          return ExitCodes.INTERNAL;
        });
    String unknown = unknownCommand(cl, args);
    if (unknown != null) {
      err.println("datapact: error: " + unknown);
      err.flush();
      return ExitCodes.USAGE;
    }
    return cl.execute(args);
  }

  /**
   * @return the usage error of a command name that names no command, or null: checked before
   *     picocli runs, which would otherwise let {@code --help} after an unknown name print the root
   *     help and exit 0
   */
  static @Nullable String unknownCommand(CommandLine root, String[] args) {
    CommandLine at = root;
    String path = "datapact";
    for (String a : args) {
      if (a.startsWith("-")) {
        return null;
      }
      CommandLine sub = at.getSubcommands().get(a);
      if (sub == null) {
        if (at.getSubcommands().isEmpty()
            || !at.getCommandSpec().positionalParameters().isEmpty()) {
          return null; // a command's own argument
        }
        return "unknown command `"
            + a
            + "` for `"
            + path
            + "`; choose one of "
            + String.join(", ", new java.util.TreeSet<>(at.getSubcommands().keySet()))
            + " (see `"
            + path
            + " --help`)";
      }
      at = sub;
      path = path + " " + a;
    }
    return null;
  }

  /** Gives every command the environment, so tests can pass their own. */
  private record Factory(Map<String, String> env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == Main.class) {
        return cls.cast(new Main(env));
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
