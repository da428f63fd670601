package org.datapact.store;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the store lives.
 *
 * @param jdbcUrl a {@code jdbc:h2:} or {@code jdbc:postgresql:} URL
 * @param user database user, or null to take it from the URL
 * @param password database password, or null; never printed
 * @param schema the PostgreSQL schema to use (Flyway creates and migrates it), or null for the
 *     database's default; H2 stores use one database per store instead
 */
public record StoreConfig(
    String jdbcUrl, @Nullable String user, @Nullable String password, @Nullable String schema) {
  /** Validates the URL. */
  public StoreConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "database url `"
              + redact(jdbcUrl)
              + "` must start with `jdbc:h2:` or `jdbc:postgresql:`");
    }
    if (schema != null && !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "schema `" + schema + "` must be a lowercase SQL identifier");
    }
  }

  /**
   * @return the embedded H2 store in {@code dataDir/db}
   */
  public static StoreConfig embedded(Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolve("db").resolve("datapact");
    return new StoreConfig("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", null, null, null);
  }

  /**
   * @return whether this is a PostgreSQL store
   */
  public boolean isPostgres() {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }

  /**
   * @return this config with another schema
   */
  public StoreConfig withSchema(String schema) {
    return new StoreConfig(jdbcUrl, user, password, schema);
  }

  /**
   * @return the URL with any {@code password=} parameter masked, for messages and logs
   */
  public String redactedUrl() {
    return redact(jdbcUrl);
  }

  /**
   * @return {@code url} with any {@code password=} parameter masked
   */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "StoreConfig[url="
        + redactedUrl()
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "****")
        + ", schema="
        + schema
        + "]";
  }
}
