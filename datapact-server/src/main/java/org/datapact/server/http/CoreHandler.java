package org.datapact.server.http;

/**
 * Handles a route served by {@link CoreRoutes}. It answers through {@link CoreExchange#respond} or
 * {@link CoreExchange#fail}, on the calling thread or later from another one; what it throws is
 * answered as {@link CoreExchange#fail} would.
 */
@FunctionalInterface
public interface CoreHandler {
  /** Handles one request. */
  void handle(CoreExchange x) throws Exception;
}
