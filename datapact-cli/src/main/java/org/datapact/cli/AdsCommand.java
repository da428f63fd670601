package org.datapact.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.ads.DeliverySimulator;
import org.datapact.server.ads.AdsSimulation;
import org.datapact.store.Database;
import org.datapact.store.world.WorldStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code datapact ads ...}: the ads business of a store. */
@Command(
    name = "ads",
    mixinStandardHelpOptions = true,
    description = "Work with the ads business: simulate delivery over the demo timeline.",
    subcommands = {AdsCommand.Simulate.class})
final class AdsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "choose an ads command: simulate");
  }

  /**
   * {@code datapact ads simulate}: runs the delivery simulation over the stored world (stop the
   * demo first: an embedded store has one user at a time) and replaces the stored results.
   */
  @Command(
      name = "simulate",
      mixinStandardHelpOptions = true,
      description = {
        "Simulate ad delivery day by day (second-price auctions, frequency caps, each campaign decided",
        "by the decision point under that day's agreements) and store impressions, clicks, spend and",
        "revenue. The same seed and world always give the same results."
      })
  static final class Simulate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand AdsCommand parent;
    @Mixin StoreOptions options;

    @Option(
        names = "--from",
        paramLabel = "DATE",
        defaultValue = "2012-01-01",
        description = "First day (default: ${DEFAULT-VALUE}).")
    String from = "2012-01-01";

    @Option(
        names = "--to",
        paramLabel = "DATE",
        defaultValue = "2019-12-31",
        description = "Last day, inclusive (default: ${DEFAULT-VALUE}).")
    String to = "2019-12-31";

    @Option(
        names = "--seed",
        paramLabel = "SEED",
        description = "Simulation seed (default: the world's seed).")
    @org.jspecify.annotations.Nullable
    Long seed;

    @Option(
        names = "--impressions-per-day",
        paramLabel = "N",
        description = "Impression opportunities simulated a day (default: two per user).")
    @org.jspecify.annotations.Nullable
    Integer impressionsPerDay;

    @Option(
        names = "--scale",
        paramLabel = "N",
        description =
            "Real impressions each simulated one stands for (default: 2 billion / users).")
    @org.jspecify.annotations.Nullable
    Long scale;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      PrintWriter out = spec.commandLine().getOut();
      LocalDate first = date(from, "--from");
      LocalDate last = date(to, "--to");
      if (last.isBefore(first)) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION, "--to " + last + " is before --from " + first);
      }
      Main main = (Main) spec.parent().parent().userObject();
      Settings settings = Settings.resolve(options.config, main.env, options.flags());
      try (Database db = Database.open(Launch.storeConfig(settings, Launch.dataDir(settings)))) {
        var world =
            new WorldStore(db)
                .current()
                .orElseThrow(
                    () ->
                        new DataPactException(
                            ErrorKind.CONFIGURATION,
                            "the store holds no world: run `datapact demo --generate-only` first"));
        DeliverySimulator.Summary s =
            simulate(
                db,
                world.seed(),
                world.userCount(),
                first,
                last,
                seed,
                impressionsPerDay,
                scale,
                new Progress(err, System.console() != null));
        out.printf(Locale.ROOT, "%s%n", describe(s));
      }
      return ExitCodes.OK;
    }
  }

  /** Runs a simulation with the defaults for a world of {@code users}. */
  static DeliverySimulator.Summary simulate(
      Database db,
      long worldSeed,
      int users,
      LocalDate from,
      LocalDate to,
      @org.jspecify.annotations.Nullable Long seed,
      @org.jspecify.annotations.Nullable Integer impressionsPerDay,
      @org.jspecify.annotations.Nullable Long scale,
      org.datapact.core.world.ProgressListener progress)
      throws DataPactException {
    DeliverySimulator.Settings settings;
    try {
      settings =
          new DeliverySimulator.Settings(
              seed == null ? worldSeed : seed,
              impressionsPerDay == null
                  ? (int) Math.min(10_000_000L, 2L * users)
                  : impressionsPerDay,
              scale == null ? AdsSimulation.defaultScale(users) : scale);
    } catch (IllegalArgumentException e) {
      throw new DataPactException(ErrorKind.CONFIGURATION, String.valueOf(e.getMessage()));
    }
    return AdsSimulation.run(db, from, to, settings, Clock.systemUTC(), progress);
  }

  static String describe(DeliverySimulator.Summary s) {
    return String.format(
        Locale.ROOT,
        "simulated %,d days: %,d impressions, %,d clicks, revenue %,.2f USD",
        s.days(),
        s.impressions(),
        s.clicks(),
        s.revenueCents() / 100.0);
  }

  private static LocalDate date(String v, String option) throws DataPactException {
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION, option + " `" + v + "` is not a date (YYYY-MM-DD)");
    }
  }
}
