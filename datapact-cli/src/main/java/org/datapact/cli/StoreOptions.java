package org.datapact.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options shared by the commands that open the store and serve HTTP. */
final class StoreOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with settings (default: ./datapact.properties if it exists).")
  @Nullable Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where DataPact keeps its files (default: ./data; env DATAPACT_DATA_DIR).")
  @Nullable String dataDir;

  @Option(
      names = "--db-url",
      paramLabel = "URL",
      description =
          "JDBC URL of the store: jdbc:postgresql://... or jdbc:h2:... (default: H2 in <data-dir>/db; "
              + "env DATAPACT_DB_URL). The password comes from DATAPACT_DB_PASSWORD or the config file.")
  @Nullable String dbUrl;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      description = "Database user (env DATAPACT_DB_USER).")
  @Nullable String dbUser;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description = "Address to listen on (default: 127.0.0.1).")
  @Nullable String host;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description = {
        "The URL people and partners reach DataPact at, e.g. https://datapact.example.com (env",
        "DATAPACT_PUBLIC_URL): links in recommendations point there, its host is the one requests may name",
        "besides loopback, and an https URL makes the session cookie Secure."
      })
  @Nullable String publicUrl;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      description = "HTTP port (default: 8080; 0 picks a free one).")
  @Nullable String port;

  @Option(
      names = "--print-config",
      description = "Print the effective configuration (secrets masked) and exit.")
  boolean printConfig;

  Map<String, String> flags() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("data-dir", dataDir);
    m.put("db-url", dbUrl);
    m.put("db-user", dbUser);
    m.put("host", host);
    m.put("port", port);
    m.put("public-url", publicUrl);
    return m;
  }

  /**
   * @return the store these options name, for a subcommand of a command of {@link Main}
   * @throws org.datapact.core.DataPactException when the settings are wrong or it cannot be opened
   */
  org.datapact.store.Database openFor(picocli.CommandLine.Model.CommandSpec subcommand)
      throws org.datapact.core.DataPactException {
    Main main = (Main) subcommand.parent().parent().userObject();
    Settings settings = Settings.resolve(config, main.env, flags());
    return org.datapact.store.Database.open(Launch.storeConfig(settings, Launch.dataDir(settings)));
  }

  /**
   * @return the data directory these options name, for a subcommand of a command of {@link Main}
   */
  java.nio.file.Path dataDirFor(picocli.CommandLine.Model.CommandSpec subcommand)
      throws org.datapact.core.DataPactException {
    Main main = (Main) subcommand.parent().parent().userObject();
    return Launch.dataDir(Settings.resolve(config, main.env, flags()));
  }
}
