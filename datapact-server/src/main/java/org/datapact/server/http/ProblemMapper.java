package org.datapact.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.UUID;
import org.datapact.core.DataPactException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into RFC 9457 problem documents. Clients never see a stack
 * trace: an unexpected failure becomes a 500 problem carrying an incident id that is also in the
 * server log next to the full trace.
 */
public final class ProblemMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

  private static final Map<Integer, String[]> STATUS =
      Map.of(
          400, new String[] {"invalid-input", "Invalid input"},
          401, new String[] {"unauthenticated", "Not signed in"},
          403, new String[] {"forbidden", "Forbidden"},
          404, new String[] {"not-found", "Not found"},
          405, new String[] {"method-not-allowed", "Method not allowed"},
          409, new String[] {"conflict", "Conflict"},
          413, new String[] {"payload-too-large", "Payload too large"},
          415, new String[] {"unsupported-media-type", "Unsupported media type"},
          429, new String[] {"rate-limited", "Too many requests"},
          503, new String[] {"unavailable", "Service unavailable"});

  private final ObjectMapper mapper;
  private final StoreHealth store;

  /**
   * @param mapper writes the problem documents
   * @param store tells store outages from bugs
   */
  public ProblemMapper(ObjectMapper mapper, StoreHealth store) {
    this.mapper = mapper;
    this.store = store;
  }

  /**
   * @return the problem of an unexpected failure: a 503 {@code store-unavailable} when the store
   *     cannot be reached (logged once per outage), else a 500 naming an incident
   */
  public Problem failure(Throwable t, String path) {
    if (StoreHealth.isOutage(t)) {
      store.down(t);
      return new Problem(
          Problem.TYPE_PREFIX + "store-unavailable",
          "Store unavailable",
          503,
          "the database cannot be reached; retry after " + StoreHealth.RETRY_AFTER_SECONDS + " s",
          path);
    }
    return unexpected(t, path);
  }

  /**
   * Maps a domain failure, with its headers ({@code Retry-After} for 429 and 503, a refusal's
   * receipt).
   */
  public void domain(DataPactException e, Context ctx) {
    write(ctx, problem(e, ctx.path(), ctx::header));
  }

  /**
   * The one mapping of a failure, for Javalin's routes and {@link CoreRoutes}' alike: a domain
   * failure with its own headers ({@link #headers}), anything else as {@link #failure} with {@code
   * Retry-After} on a store outage.
   *
   * @param header sets a response header
   * @return the problem document of {@code t} failing the request to {@code path}
   */
  public Problem problem(
      Throwable t, String path, java.util.function.BiConsumer<String, String> header) {
    if (t instanceof DataPactException e) {
      headers(e).forEach(header);
      return of(e, path);
    }
    Problem p = failure(t, path);
    if (p.status() == 503) {
      header.accept("Retry-After", Integer.toString(StoreHealth.RETRY_AFTER_SECONDS));
    }
    return p;
  }

  /**
   * @return the problem document of a domain failure of the request to {@code path}
   */
  public static Problem of(DataPactException e, String path) {
    if (e instanceof ProblemSource source) {
      return source.problem(path);
    }
    int status = e.kind().httpStatus();
    String[] known = STATUS.get(status);
    return new Problem(
        Problem.TYPE_PREFIX + e.kind().slug(),
        known != null ? known[1] : e.kind().slug(),
        status,
        String.valueOf(e.getMessage()),
        path);
  }

  /**
   * @return the headers a domain failure's response carries: {@code Retry-After} for a 429 or a 503
   *     (the only place it is set for them), and what a {@link ProblemSource} adds
   */
  public static Map<String, String> headers(DataPactException e) {
    Map<String, String> h = new java.util.LinkedHashMap<>();
    if (e instanceof ProblemSource source) {
      h.putAll(source.headers());
    }
    int status = e.kind().httpStatus();
    if (status == 429 || status == 503) {
      h.put("Retry-After", Long.toString(Math.max(1, e.retryAfterSeconds())));
    }
    return h;
  }

  /** Maps Javalin's own HTTP failures (unmatched routes, oversized bodies, ...). */
  public void http(HttpResponseException e, Context ctx) {
    status(ctx, e.getStatus(), detailFor(ctx, e.getStatus(), String.valueOf(e.getMessage())));
  }

  /** Maps a bare error status that a handler or Javalin set without an exception. */
  public void error(Context ctx) {
    if (!Problem.MEDIA_TYPE.equals(ctx.res().getContentType())) {
      status(ctx, ctx.statusCode(), detailFor(ctx, ctx.statusCode(), null));
    }
  }

  private static String detailFor(Context ctx, int status, @Nullable String fallback) {
    return switch (status) {
      case 404 -> "no such resource `" + ctx.path() + "`";
      case 405 -> "method " + ctx.method().name() + " is not allowed on `" + ctx.path() + "`";
      case 413 -> "the request body is larger than this endpoint accepts";
      default -> fallback != null ? fallback : "HTTP " + status;
    };
  }

  /** Writes a problem for {@code status} with {@code detail}. */
  public void status(Context ctx, int status, String detail) {
    write(ctx, of(status, detail, ctx.path()));
  }

  /**
   * @return the problem document of a bare HTTP {@code status} of the request to {@code path}
   */
  public static Problem of(int status, String detail, String path) {
    String[] known = STATUS.getOrDefault(status, new String[] {"http-" + status, "HTTP " + status});
    return new Problem(Problem.TYPE_PREFIX + known[0], known[1], status, detail, path);
  }

  /** Maps anything unexpected to a 500 with an incident id; the trace goes to the log only. */
  public void unexpected(Exception e, Context ctx) {
    write(ctx, problem(e, ctx.path(), ctx::header));
  }

  /**
   * Logs an unexpected failure of the request to {@code path} with its trace and a new incident id.
   *
   * @return the 500 problem naming the incident
   */
  public static Problem unexpected(Throwable e, String path) {
    String incident = UUID.randomUUID().toString();
    LOG.atError()
        .setCause(e)
        .addKeyValue("incident", incident)
        .addKeyValue("path", path)
        .log("unexpected failure");
    return new Problem(
        Problem.TYPE_PREFIX + "internal",
        "Internal error",
        500,
        "the server failed unexpectedly; report incident `" + incident + "`",
        path);
  }

  /**
   * @return {@code p} as the bytes of its JSON document
   */
  public byte[] bytes(Problem p) {
    try {
      return mapper.writeValueAsBytes(p);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot serialise a problem document", e); // INVARIANT: records serialise
    }
  }

  private void write(Context ctx, Problem p) {
    ctx.status(p.status()).contentType(Problem.MEDIA_TYPE).result(bytes(p));
  }
}
