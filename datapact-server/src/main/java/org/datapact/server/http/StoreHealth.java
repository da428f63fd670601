package org.datapact.server.http;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a store outage from a bug, and says so once. A request that fails because the database
 * cannot be reached answers 503 with {@code Retry-After} (never a 500 with a trace per request);
 * the first such failure logs one WARN and starts a probe that asks the store every second until it
 * answers, then logs its recovery. Requests need nothing else to recover: the pool makes new
 * connections once the store is back.
 *
 * <p>Thread-safe.
 */
public final class StoreHealth {
  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

  /** What a 503 for an outage tells the client to wait, in seconds. */
  public static final int RETRY_AFTER_SECONDS = 5;

  private static final long PROBE_MS = 1_000;

  private final BooleanSupplier probe;
  private final AtomicBoolean down = new AtomicBoolean();

  /**
   * @param probe asks the store a trivial question; true when it answers
   */
  public StoreHealth(BooleanSupplier probe) {
    this.probe = probe;
  }

  /**
   * @return whether {@code t} (or a cause) says the store cannot be reached
   */
  public static boolean isOutage(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLTransientConnectionException
          || c instanceof SQLNonTransientConnectionException
          || c instanceof java.net.ConnectException) {
        return true;
      }
      if (c instanceof SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("08")) {
        return true; // SQL state class 08: connection exception
      }
    }
    return false;
  }

  /**
   * Records an outage: one WARN for the whole outage, and a probe until the store answers again.
   */
  public void down(Throwable cause) {
    if (!down.compareAndSet(false, true)) {
      return;
    }
    long since = System.nanoTime();
    LOG.atWarn()
        .addKeyValue("cause", org.datapact.store.Database.rootMessage(cause))
        .log("the store cannot be reached; answering 503 until it is back");
    Thread t =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(PROBE_MS);
                } catch (InterruptedException e) {
                  return;
                }
                boolean up;
                try {
                  up = probe.getAsBoolean();
                } catch (RuntimeException e) {
                  up = false;
                }
                if (up) {
                  down.set(false);
                  LOG.atInfo()
                      .addKeyValue("downMs", (System.nanoTime() - since) / 1_000_000)
                      .log("the store answers again");
                  return;
                }
              }
            },
            "datapact-store-probe");
    t.setDaemon(true);
    t.start();
  }
}
