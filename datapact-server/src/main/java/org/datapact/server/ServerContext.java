package org.datapact.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.datapact.core.world.Cast;
import org.datapact.server.http.Json;
import org.datapact.server.session.SessionTokens;
import org.datapact.store.Database;

/**
 * Everything the HTTP features share: the store, the clock, metrics, session tokens, the JSON
 * mapper, and — only when the server runs the demo — the demo cast.
 *
 * @param db the open store
 * @param clock the clock every time-dependent rule reads
 * @param metrics the Prometheus registry
 * @param sessions console session tokens
 * @param mapper the JSON mapper
 * @param demoCast the cast when running {@code datapact demo}; null for {@code serve}, which
 *     disables the demo login
 */
public record ServerContext(
    Database db, Clock clock, PrometheusMeterRegistry metrics, SessionTokens sessions, ObjectMapper mapper, Cast demoCast) {

  /** Validates the required parts. */
  public ServerContext {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(mapper, "mapper");
  }

  /** @return a context with a fresh registry, a random session key and the standard mapper */
  public static ServerContext create(Database db, Clock clock, Cast demoCast) {
    return create(db, clock, SessionTokens.withRandomKey(clock), demoCast);
  }

  /** @return a context with a fresh registry and the standard mapper, signing sessions with {@code sessions} */
  public static ServerContext create(Database db, Clock clock, SessionTokens sessions, Cast demoCast) {
    return new ServerContext(db, clock, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        sessions, Json.newMapper(), demoCast);
  }

  /** @return the demo cast, present only in demo mode */
  public Optional<Cast> demo() {
    return Optional.ofNullable(demoCast);
  }
}
