package org.datapact.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;

/**
 * An open store: a connection pool (HikariCP) over H2 or PostgreSQL, migrated by Flyway to the
 * current schema, with a Jdbi handle for the repositories. One set of repositories serves both
 * databases; the SQL they use is the common subset of the two.
 *
 * <p>Thread-safe. Close it to release the pool (and, for embedded H2, the file lock).
 */
public final class Database implements AutoCloseable {
  private final StoreConfig config;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private Database(StoreConfig config, HikariDataSource dataSource) {
    this.config = config;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
  }

  /**
   * Connects, creates the schema if needed and migrates it.
   *
   * @throws DataPactException {@link ErrorKind#UNAVAILABLE} naming the URL and the cause when the
   *     database cannot be reached or migrated
   */
  public static Database open(StoreConfig config) throws DataPactException {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(config.jdbcUrl());
    if (config.user() != null) {
      hc.setUsername(config.user());
    }
    if (config.password() != null) {
      hc.setPassword(config.password());
    }
    if (config.schema() != null) {
      hc.setSchema(config.schema());
    }
    hc.setPoolName("datapact");
    hc.setMaximumPoolSize(config.isPostgres() ? 16 : 8);
    hc.setConnectionTimeout(5_000);
    hc.setInitializationFailTimeout(5_000);
    if (config.isPostgres()) {
      hc.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE,
          "cannot connect to database `" + config.redactedUrl() + "`: " + rootMessage(e),
          e);
    }
    try {
      Flyway.configure()
          .dataSource(ds)
          .schemas(config.schema() == null ? new String[0] : new String[] {config.schema()})
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (FlywayException e) {
      ds.close();
      throw new DataPactException(
          ErrorKind.UNAVAILABLE,
          "cannot migrate database `" + config.redactedUrl() + "`: " + rootMessage(e),
          e);
    }
    return new Database(config, ds);
  }

  /**
   * @return the innermost cause's message, which is the one that names the real problem
   */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null
        ? t.getClass().getSimpleName()
        : StoreConfig.redact(m.strip().lines().findFirst().orElse(m));
  }

  /**
   * @return whether the store answers a trivial query now (false on any failure, never throws)
   */
  public boolean answers() {
    try {
      return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * @return the Jdbi instance the repositories use
   */
  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * @return the pooled data source
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * @return the configuration this store was opened with
   */
  public StoreConfig config() {
    return config;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
