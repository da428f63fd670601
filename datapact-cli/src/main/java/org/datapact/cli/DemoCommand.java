package org.datapact.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.security.SecretHasher;
import org.datapact.core.world.DemoWorldGenerator;
import org.datapact.core.world.WorldSpec;
import org.datapact.store.Database;
import org.datapact.store.world.WorldStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code datapact demo}: generates the demo world (or keeps the one already in the store when seed
 * and size match), writes the cast file, and serves the API and UI with the demo login on.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate the demo world and serve it.",
      "The same --seed and --users always give the same world and the same cast file."
    })
final class DemoCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Spec CommandSpec spec;
  @Mixin StoreOptions options;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Number of users (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "42",
      description = "World seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--allow-remote",
      description = {
        "Listen on a non-loopback --host although the demo signs anyone in without a password",
        "(every cast member, operators and the regulator included). Off by default: the demo binds loopback only."
      })
  boolean allowRemote;

  @Option(
      names = "--generate-only",
      description = "Generate the world and the cast file, then exit without serving.")
  boolean generateOnly;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Settings settings = Settings.resolve(options.config, main.env, options.flags());
    if (options.printConfig) {
      out.print(settings.describe());
      return ExitCodes.OK;
    }
    WorldSpec world;
    try {
      world = new WorldSpec(seed, users);
    } catch (IllegalArgumentException e) {
      throw new DataPactException(ErrorKind.CONFIGURATION, String.valueOf(e.getMessage()));
    }
    int port = settings.port();
    settings.publicUrl(); // validated before anything is opened
    Path dataDir = Launch.dataDir(settings);
    String host = settings.required("host");
    if (!generateOnly && !Settings.isLoopback(host)) {
      if (!allowRemote) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION,
            "the demo signs anyone in without a password, so it listens on "
                + "loopback only; --host `"
                + host
                + "` is not loopback (pass --allow-remote to expose it anyway)");
      }
      err.println(
          "datapact: WARNING: --allow-remote: the demo's password-less sign-in (operators and the regulator included) "
              + "is reachable on "
              + host
              + ":"
              + port
              + " by anyone who can reach this machine");
    }
    if (!generateOnly) {
      Launch.checkPortFree(settings.required("host"), port);
    }
    Database db = Database.open(Launch.storeConfig(settings, dataDir));
    try {
      long start = System.nanoTime();
      // a first start builds the decision point as the world is written, not from its rows
      var generated = generateOnly ? null : org.datapact.server.ServerContext.generatedPolicy();
      WorldStore.Loaded loaded =
          new WorldStore(db)
              .ensure(
                  new DemoWorldGenerator(new SecretHasher()),
                  world,
                  new Progress(err, System.console() != null),
                  Clock.systemUTC(),
                  generated);
      if (loaded.generated()) {
        err.printf(
            Locale.ROOT,
            "generated %,d users (seed %d) in %.1fs%n",
            users,
            seed,
            (System.nanoTime() - start) / 1e9);
      } else {
        err.printf(
            Locale.ROOT,
            "using the world already in the store (%,d users, seed %d)%n",
            users,
            seed);
      }
      boolean simulate = new org.datapact.store.ads.AdsStore(db).simulation().isEmpty();
      if (simulate && generateOnly) {
        simulate(db, err, null);
      }
      Path cast = CastFile.write(loaded.cast(), dataDir);
      if (generateOnly) {
        out.println("cast: " + cast);
        db.close();
        return ExitCodes.OK;
      }
      Launch.serveUntilStopped(
          db,
          dataDir,
          settings,
          loaded.cast(),
          loaded.generated() ? generated : null,
          out,
          String.join(
              "\n",
              "DataPact demo is running at {url}",
              "  cast (who to sign in as, demo client credentials): " + cast,
              "  sign in: open the URL, choose \"Sign in\" and pick alice (or any cast member)",
              "  stop: Ctrl+C",
              ""),
          context -> {
            if (simulate) {
              // the first start simulates 2012-2019's ads delivery once the server answers: at a
              // million users it takes minutes, which the first start would otherwise wait for
              Thread t =
                  new Thread(() -> simulateBeside(db, err, context), "datapact-ads-simulation");
              t.setDaemon(true);
              t.start();
            }
          });
      return ExitCodes.OK;
    } catch (DataPactException | RuntimeException | InterruptedException e) {
      db.close();
      throw e;
    }
  }

  /** Simulates the demo's ads delivery 2012-2019 into the store, telling {@code ads} how far. */
  private void simulate(
      Database db,
      PrintWriter err,
      org.datapact.server.ads.@org.jspecify.annotations.Nullable AdsService ads)
      throws DataPactException {
    long simStart = System.nanoTime();
    Progress progress = new Progress(err, System.console() != null);
    var summary =
        AdsCommand.simulate(
            db,
            seed,
            users,
            java.time.LocalDate.of(2012, 1, 1),
            java.time.LocalDate.of(2019, 12, 31),
            null,
            null,
            null,
            (phase, done, total) -> {
              if (ads != null) {
                ads.simulating(done, total);
              }
              progress.progress(phase, done, total);
            });
    err.printf(
        Locale.ROOT,
        "%s in %.1fs%n",
        AdsCommand.describe(summary),
        (System.nanoTime() - simStart) / 1e9);
    err.flush();
  }

  /**
   * Runs the simulation beside the server when this node claims it: several nodes may start on one
   * database, and one simulation at a time replaces the stored one (a claim whose node is no longer
   * seen is taken over).
   */
  private void simulateBeside(
      Database db, PrintWriter err, org.datapact.server.ServerContext context) {
    var store = new org.datapact.store.ads.AdsStore(db);
    String node = context.feed().nodeId();
    java.time.Instant now = context.clock().instant();
    java.util.Set<String> alive = new java.util.HashSet<>();
    for (var n : new org.datapact.store.cluster.ClusterStore(db).nodes()) {
      if (org.datapact.server.cluster.ChangeFeed.isLive(n.seenAt(), now)) {
        alive.add(n.id());
      }
    }
    if (!store.claimSimulation(node, now, alive::contains)) {
      return; // another node is simulating
    }
    boolean finished = false;
    try {
      context.ads().simulating(0, 1);
      simulate(db, err, context.ads());
      finished = true;
    } catch (DataPactException | RuntimeException e) {
      err.println(
          "datapact: the ads delivery simulation stopped: "
              + e.getMessage()
              + " (the next start runs it again)");
      err.flush();
    } finally {
      context.ads().simulationEnded();
      if (!finished) {
        try {
          store.releaseSimulation(node);
        } catch (RuntimeException e) {
          // the store is gone (the server is stopping): the claim's node is then not seen, and the
          // next start takes it over
        }
      }
    }
  }
}
