package org.datapact.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datapact.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code datapact serve}: serves the API and UI over the configured store, without the demo login.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the API and UI over the configured store (no demo login).")
final class ServeCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Spec CommandSpec spec;
  @Mixin StoreOptions options;

  @Override
  public Integer call() throws Exception {
    Settings settings = Settings.resolve(options.config, main.env, options.flags());
    if (options.printConfig) {
      spec.commandLine().getOut().print(settings.describe());
      return ExitCodes.OK;
    }
    int port = settings.port();
    settings.publicUrl(); // validated before anything is opened
    settings.oidc();
    Path dataDir = Launch.dataDir(settings);
    Launch.checkPortFree(settings.required("host"), port);
    Database db = Database.open(Launch.storeConfig(settings, dataDir));
    try {
      var demoWorld = new org.datapact.store.world.WorldStore(db).current();
      if (demoWorld.isPresent()) {
        // INVARIANT: the demo world's client secrets derive from its seed (they are in the cast
        // file); never live
        throw new org.datapact.core.DataPactException(
            org.datapact.core.ErrorKind.CONFIGURATION,
            "this store holds the demo world (seed "
                + demoWorld.get().seed()
                + "), whose client secrets anyone can derive; `serve` needs a store of its own: use "
                + "another --db-url or --data-dir, or `datapact demo` for the demo");
      }
      Launch.serveUntilStopped(
          db,
          dataDir,
          settings,
          null,
          null,
          spec.commandLine().getOut(),
          "DataPact is running at {url}\n  stop: Ctrl+C\n",
          context -> {});
      return ExitCodes.OK;
    } catch (Exception e) {
      db.close();
      throw e;
    }
  }
}
