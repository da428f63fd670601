package org.datapact.store;

import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens throwaway stores for tests: an in-memory H2 database, or a fresh schema in the PostgreSQL
 * named by {@code DATAPACT_TEST_PG_URL}. Without that variable PostgreSQL tests skip with a visible
 * message on a developer's machine, and fail when {@code CI=true}.
 */
public final class TestStores {
  /** The environment variable naming the test PostgreSQL. */
  public static final String PG_ENV = "DATAPACT_TEST_PG_URL";

  private TestStores() {}

  /**
   * @return a config for a new, empty in-memory H2 database
   */
  public static StoreConfig h2() {
    return new StoreConfig(
        "jdbc:h2:mem:t" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1",
        null,
        null,
        null);
  }

  /**
   * @return a config for a new schema in the test PostgreSQL, or aborts/fails the test when there
   *     is none
   */
  public static StoreConfig postgres() {
    String url = System.getenv(PG_ENV);
    if (url == null || url.isBlank()) {
      String message =
          "PostgreSQL tests need "
              + PG_ENV
              + " (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres)";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message + " and CI=true: refusing to skip");
      }
      System.err.println("SKIPPED: " + message);
      Assumptions.abort(message);
    }
    return new StoreConfig(
        url, null, null, "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
  }

  /** Drops a schema made by {@link #postgres()}. */
  public static void dropSchema(StoreConfig config) throws Exception {
    if (config != null && config.isPostgres() && config.schema() != null) {
      try (var c = DriverManager.getConnection(config.jdbcUrl());
          var s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + config.schema() + " CASCADE");
      }
    }
  }
}
