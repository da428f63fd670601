package org.datapact.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.security.Secret;
import org.datapact.core.security.SecretHasher;
import org.datapact.server.governance.RegistryFeature;
import org.datapact.store.Database;
import org.datapact.store.party.PartyRepository;
import org.datapact.store.party.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code datapact partner list|register|issue-client|rotate|retire}: the partner registry from the
 * command line, for setting up before the server runs. Each change is stored with its registry row;
 * the server commits it to the ledger at its next start (the API does so before the change). Stop
 * the demo first: an embedded store has one user at a time. A running server over PostgreSQL sees a
 * rotated or retired secret refused at once, but ends the tokens it already issued only when they
 * expire (15 minutes); rotate through the API to end them at once.
 */
@Command(
    name = "partner",
    mixinStandardHelpOptions = true,
    description = "List, register partners and units; issue, rotate and retire their API clients.",
    subcommands = {
      PartnerCommand.ListParties.class,
      PartnerCommand.Register.class,
      PartnerCommand.Issue.class,
      PartnerCommand.Rotate.class,
      PartnerCommand.Retire.class
    })
final class PartnerCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(),
        "choose a partner command: list, register, issue-client, rotate or retire");
  }

  private static String by() {
    return "cli:" + System.getProperty("user.name", "unknown");
  }

  private static Instant now() {
    return Clock.systemUTC().instant();
  }

  private static void printSecret(PrintWriter out, String clientId, Secret secret) {
    out.println("client_id:     " + clientId);
    out.println("client_secret: " + secret.revealForHashingOrDisplayOnce());
    out.println("(shown once: DataPact keeps only its hash; rotate the client if it is lost)");
  }

  /** Lists the registry. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List parties and clients.")
  static final class ListParties implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Override
    public Integer call() throws DataPactException {
      PrintWriter out = spec.commandLine().getOut();
      try (Database db = options.openFor(spec)) {
        Registry registry = new Registry(db);
        for (Party p : new PartyRepository(db).all()) {
          if (p.kind() == PartyKind.PLATFORM) {
            continue;
          }
          out.printf(
              Locale.ROOT,
              "%-12s %-8s %s%n",
              p.id(),
              p.kind().name().toLowerCase(Locale.ROOT),
              p.displayName());
          for (Registry.Client c : registry.clients(p.id())) {
            out.printf(
                Locale.ROOT,
                "  %-28s %s%n",
                c.clientId(),
                c.retiredAt() == null ? "live" : "retired " + c.retiredAt());
          }
        }
      }
      return ExitCodes.OK;
    }
  }

  /** Registers a party. */
  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description = "Register a partner or an internal unit.")
  static final class Register implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Option(names = "--id", required = true, description = "A lowercase slug, e.g. cinemo.")
    String id = "";

    @Option(names = "--kind", required = true, description = "partner or unit.")
    String kind = "";

    @Option(names = "--name", required = true, description = "The display name.")
    String name = "";

    @Option(names = "--description", description = "What it is.")
    String description = "";

    @Override
    public Integer call() throws DataPactException {
      PartyKind k =
          switch (kind) {
            case "partner" -> PartyKind.PARTNER;
            case "unit" -> PartyKind.UNIT;
            default ->
                throw DataPactException.invalid("--kind: `partner` or `unit`, got `" + kind + "`");
          };
      PartyId party;
      try {
        party = PartyId.of(id);
      } catch (IllegalArgumentException e) {
        throw DataPactException.invalid("--id: a lowercase slug such as `cinemo`");
      }
      try (Database db = options.openFor(spec)) {
        new Registry(db).register(new Party(party, k, name, description), by(), now(), null);
      }
      spec.commandLine()
          .getOut()
          .println(
              "registered "
                  + party
                  + " ("
                  + kind
                  + "); the server commits it to the ledger at its next start");
      return ExitCodes.OK;
    }
  }

  /** Issues a client. */
  @Command(
      name = "issue-client",
      mixinStandardHelpOptions = true,
      description = "Issue an API client to a party; its secret is printed once.")
  static final class Issue implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Option(names = "--party", required = true, description = "The party's id.")
    String party = "";

    @Override
    public Integer call() throws DataPactException {
      try (Database db = options.openFor(spec)) {
        PartyId id = PartyId.of(party);
        Party p =
            new PartyRepository(db)
                .find(id)
                .orElseThrow(
                    () -> new DataPactException(ErrorKind.NOT_FOUND, "no party `" + party + "`"));
        if (p.kind() == PartyKind.PLATFORM) {
          throw DataPactException.invalid("the platform has no API clients");
        }
        String clientId = RegistryFeature.newClientId(id);
        Secret secret = RegistryFeature.newSecret();
        new Registry(db).issue(clientId, id, new SecretHasher().hash(secret), by(), now(), null);
        printSecret(spec.commandLine().getOut(), clientId, secret);
      } catch (IllegalArgumentException e) {
        throw DataPactException.invalid("--party: " + e.getMessage());
      }
      return ExitCodes.OK;
    }
  }

  /** Rotates a client's secret. */
  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Give a live client a new secret (printed once); the old one ends.")
  static final class Rotate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Option(names = "--client", required = true, description = "The client id.")
    String client = "";

    @Override
    public Integer call() throws DataPactException {
      try (Database db = options.openFor(spec)) {
        Secret secret = RegistryFeature.newSecret();
        new Registry(db).rotate(client, new SecretHasher().hash(secret), by(), now(), null);
        printSecret(spec.commandLine().getOut(), client, secret);
      }
      return ExitCodes.OK;
    }
  }

  /** Retires a client. */
  @Command(
      name = "retire",
      mixinStandardHelpOptions = true,
      description = "Retire a live client: it authenticates no more.")
  static final class Retire implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions options;

    @Option(names = "--client", required = true, description = "The client id.")
    String client = "";

    @Override
    public Integer call() throws DataPactException {
      try (Database db = options.openFor(spec)) {
        new Registry(db).retire(client, by(), now(), null);
      }
      spec.commandLine().getOut().println("retired " + client);
      return ExitCodes.OK;
    }
  }
}
