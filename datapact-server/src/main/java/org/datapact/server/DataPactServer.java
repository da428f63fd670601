package org.datapact.server;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import java.net.BindException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.server.decisions.DecisionFeature;
import org.datapact.server.governance.GovernanceFeature;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.CoreRoutes;
import org.datapact.server.http.EdgeGuard;
import org.datapact.server.http.EdgePolicy;
import org.datapact.server.http.Feature;
import org.datapact.server.http.ProblemMapper;
import org.datapact.server.http.RequestLog;
import org.datapact.server.http.Route;
import org.datapact.server.ledger.LedgerFeature;
import org.datapact.server.oauth.TokenFeature;
import org.datapact.server.ops.OpsFeature;
import org.datapact.server.privacy.PrivacyFeature;
import org.datapact.server.session.SessionFeature;
import org.datapact.server.world.WorldFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DataPact HTTP server: Javalin on Jetty, with every feature's routes behind one access check,
 * one problem mapper, structured request logs and Prometheus metrics, and the web UI served from
 * the jar.
 *
 * <p>Start it with {@link #start}; {@link #close()} stops accepting requests, lets in-flight ones
 * finish (up to {@link #STOP_TIMEOUT_MS}) and leaves the store to its owner.
 */
public final class DataPactServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataPactServer.class);

  /** Largest request body accepted, in bytes. */
  public static final long MAX_REQUEST_BYTES = 64 * 1024;

  /** The largest oversized body read and discarded so that its 413 reliably reaches the client. */
  static final long DRAIN_LIMIT_BYTES = EdgeGuard.DRAIN_LIMIT_BYTES;

  /** The chunk in which Javalin copies a result into the response (not Jetty's output buffer). */
  public static final int RESPONSE_COPY_BYTES = 4_096;

  /** The request thread pool's bounds and idle timeout: Javalin's defaults. */
  private static final int MAX_THREADS = 250;

  private static final int MIN_THREADS = 8;
  private static final int IDLE_THREAD_MS = 60_000;

  /** Jetty's per-connection cache of repeated header lines: off (see where it is set). */
  public static final int HEADER_CACHE_BYTES = 0;

  /** How long a stop waits for in-flight requests. */
  public static final long STOP_TIMEOUT_MS = 10_000;

  private final Javalin app;
  private final String host;
  private org.datapact.server.privacy.@org.jspecify.annotations.Nullable ErasureOutbox outbox;
  private org.datapact.server.cluster.@org.jspecify.annotations.Nullable ChangeFeed feed;

  private DataPactServer(Javalin app, String host) {
    this.app = app;
    this.host = host;
  }

  /**
   * @return every route the server serves, in registration order
   */
  public static List<Route> routes(ServerContext context) {
    return routes(context, EdgePolicy.loopback(), () -> URI.create("http://127.0.0.1/"));
  }

  /**
   * @param edge the hosts served and the public URL
   * @param base the URL links are made for (the public URL, or the bound address once known)
   * @return every route the server serves, in registration order
   */
  static List<Route> routes(
      ServerContext context, EdgePolicy edge, java.util.function.Supplier<URI> base) {
    // The partner API first: Javalin tries a request's path against each route's pattern in the
    // order they were added, and partner calls are the busy path. No two routes match one path.
    org.datapact.server.oauth.Authorizations codes =
        new org.datapact.server.oauth.Authorizations(context.clock());
    List<Feature> features =
        List.of(
            new org.datapact.server.partner.PartnerFeature(context, base),
            new OpsFeature(context),
            new SessionFeature(context, edge.secureCookies()),
            new WorldFeature(context),
            new TokenFeature(context, codes),
            new org.datapact.server.oauth.AuthorizeFeature(context, codes),
            new org.datapact.server.oauth.KeysFeature(context),
            new DecisionFeature(context),
            new PrivacyFeature(context),
            new GovernanceFeature(context),
            new org.datapact.server.governance.ApprovalFeature(context),
            new org.datapact.server.governance.ReportsFeature(context),
            new org.datapact.server.governance.DutiesFeature(context),
            new org.datapact.server.governance.RegistryFeature(context),
            new org.datapact.server.privacy.ReceiptsFeature(context),
            new org.datapact.server.privacy.ExportFeature(context),
            new org.datapact.server.privacy.ErasureFeature(context),
            new LedgerFeature(context),
            new org.datapact.server.ledger.WitnessFeature(context),
            new org.datapact.server.ledger.ActivityFeature(context),
            new org.datapact.server.transparency.TransparencyFeature(context),
            new org.datapact.server.units.UnitDataFeature(context),
            new org.datapact.server.ads.AdsFeature(context));
    List<Route> routes = new ArrayList<>();
    features.forEach(f -> routes.addAll(f.routes()));
    return routes;
  }

  /**
   * Starts the server.
   *
   * @param host the address to bind, e.g. {@code 127.0.0.1}
   * @param port the port, or 0 for a free one
   * @throws DataPactException unavailable, naming the port, when it is already in use
   */
  public static DataPactServer start(ServerContext context, String host, int port)
      throws DataPactException {
    return start(context, host, port, EdgePolicy.loopback(), List.of());
  }

  /**
   * Starts the server with an edge policy: the host names it answers for and its public URL.
   *
   * @throws DataPactException unavailable, naming the port, when it is already in use
   */
  public static DataPactServer start(ServerContext context, String host, int port, EdgePolicy edge)
      throws DataPactException {
    return start(context, host, port, edge, List.of());
  }

  /**
   * Starts the server with additional features beside the standard ones (for composition and
   * tests).
   */
  public static DataPactServer start(
      ServerContext context, String host, int port, List<Feature> extra) throws DataPactException {
    return start(context, host, port, EdgePolicy.loopback(), extra);
  }

  /**
   * Starts the server with an edge policy and additional features (e.g. OpenID Connect sign-in for
   * {@code serve}).
   *
   * @throws DataPactException unavailable, naming the port, when it is already in use
   */
  public static DataPactServer start(
      ServerContext context, String host, int port, EdgePolicy edge, List<Feature> extra)
      throws DataPactException {
    java.util.concurrent.atomic.AtomicReference<URI> base =
        new java.util.concurrent.atomic.AtomicReference<>(edge.publicUrl());
    AccessControl access = new AccessControl(context.sessions(), context.accessTokens());
    ProblemMapper problems =
        new ProblemMapper(
            context.mapper(), new org.datapact.server.http.StoreHealth(context.db()::answers));
    new JvmMemoryMetrics().bindTo(context.metrics());
    new JvmGcMetrics().bindTo(context.metrics());
    new JvmThreadMetrics().bindTo(context.metrics());
    new ProcessorMetrics().bindTo(context.metrics());
    List<Route> routes = routes(context, edge, base::get);
    extra.forEach(f -> routes.addAll(f.routes()));
    RequestLog requests = new RequestLog(context.metrics());
    List<Route> core = routes.stream().filter(r -> r.core() != null).toList();
    for (Route c : core) {
      if (routes.stream().anyMatch(r -> r.core() == null && r.path().equals(c.path()))) {
        // CoreRoutes answers every method on a core route's path (405 for the others)
        throw new IllegalStateException(
            "`" + c.path() + "` is both a core route and a Javalin route");
      }
    }
    CoreRoutes coreRoutes = new CoreRoutes(core, access, problems, requests, MAX_REQUEST_BYTES);
    EdgeGuard guard = new EdgeGuard(edge, problems);
    guard.setHandler(coreRoutes);

    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jsonMapper(new JavalinJackson(context.mapper(), false));
              config.http.maxRequestSize = MAX_REQUEST_BYTES;
              // Javalin copies each result into Jetty's (pooled, 32 KiB) output buffer through a
              // fresh array
              // of this size; by default 32 KiB too, which was a third of all the bytes a partner
              // call
              // allocated (async-profiler, docs/benchmarks.md). Our JSON answers are a few KiB.
              config.http.responseBufferSize = RESPONSE_COPY_BYTES;
              // Jetty caches each connection's repeated header lines in a trie it walks byte by
              // byte; a
              // partner's bearer token (~350 bytes) made that walk 6 % of a partner call's CPU,
              // more than
              // building the header as a string (async-profiler, docs/benchmarks.md).
              config.jetty.modifyHttpConfiguration(
                  http -> http.setHeaderCacheSize(HEADER_CACHE_BYTES));
              config.http.prefer405over404 = true;
              config.jetty.threadPool = threadPool();
              config.router.ignoreTrailingSlashes = true;
              // INVARIANT: stop() lets in-flight requests finish, up to the stop timeout
              // (GracefulShutdownTest)
              config.jetty.modifyServer(server -> server.setStopTimeout(STOP_TIMEOUT_MS));
              config.staticFiles.add(
                  s -> {
                    s.hostedPath = "/";
                    s.directory = "/web";
                    s.location = Location.CLASSPATH;
                    s.headers =
                        java.util.Map.of(
                            "Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff");
                  });
              config.staticFiles.enableWebjars(); // the chart library, never a CDN
              config.routes.before(DataPactServer::drainOversizedBody);
              config.routes.beforeMatched(access::check);
              // the core routes ahead of Javalin's servlet: Javalin puts its servlet context inside
              // the
              // innermost wrapper of the server's handler, here CoreRoutes. A stop waits for their
              // in-flight requests as for any other: the connector's graceful shutdown waits for
              // every
              // open connection (GracefulShutdownTest).
              // The edge guard first of all (hosts, method overrides, cross-site state changes,
              // security headers).
              config.jetty.modifyServer(
                  server ->
                      ((org.eclipse.jetty.server.Handler.Wrapper) server.getHandler())
                          .setHandler(guard));
              for (Route r : routes) {
                if (r.core() != null) {
                  continue;
                }
                config.routes.addHttpHandler(
                    r.method(),
                    r.path(),
                    r.handler(),
                    r.roles().toArray(new io.javalin.security.RouteRole[0]));
              }
              config.routes.exception(DataPactException.class, problems::domain);
              config.routes.exception(HttpResponseException.class, problems::http);
              config.routes.exception(Exception.class, problems::unexpected);
              for (int status : new int[] {404, 405, 413}) {
                config.routes.error(status, problems::error);
              }
              config.requestLogger.http(
                  (ctx, ms) ->
                      requests.record(
                          ctx.method().name(),
                          ctx.path(),
                          routeOf(ctx),
                          ctx.statusCode(),
                          ms,
                          AccessControl.caller(ctx).orElse(null),
                          ctx.res().getHeader(org.datapact.server.http.Trace.HEADER)));
            });
    try {
      app.start(host, port);
    } catch (RuntimeException e) {
      app.stop();
      if (hasCause(e, BindException.class)) {
        throw new DataPactException(
            ErrorKind.UNAVAILABLE,
            "port "
                + port
                + " on "
                + host
                + " is already in use; stop the other program or choose another with --port",
            e);
      }
      throw new DataPactException(
          ErrorKind.UNAVAILABLE,
          "cannot start the HTTP server on "
              + host
              + ":"
              + port
              + ": "
              + org.datapact.store.Database.rootMessage(e),
          e);
    }
    LOG.atInfo().addKeyValue("url", "http://" + host + ":" + app.port() + "/").log("listening");
    DataPactServer server = new DataPactServer(app, host);
    base.compareAndSet(null, server.baseUri());
    if (context.demo().isPresent()) {
      org.datapact.server.privacy.ErasureFeature.demoWebhooks(context);
    }
    server.outbox =
        new org.datapact.server.privacy.ErasureOutbox(
                new org.datapact.store.privacy.ErasureStore(context.db()),
                context.clock(),
                context.mapper(),
                base::get)
            .start(java.time.Duration.ofMillis(500));
    context.feed().start();
    server.feed = context.feed();
    return server;
  }

  /**
   * Refuses a body over {@link #MAX_REQUEST_BYTES} with 413, having read and discarded it when it
   * is at most {@link #DRAIN_LIMIT_BYTES}. Refused unread, the body was still arriving when Jetty
   * closed the connection, and the reset could reach the client before the 413 did (ProblemsTest,
   * once in CI and twice in 60 local runs with {@code Expect: 100-continue}); read, the connection
   * stays usable and the answer arrives. Larger bodies are refused unread.
   */
  private static void drainOversizedBody(io.javalin.http.Context ctx)
      throws java.io.IOException, DataPactException {
    long length = ctx.req().getContentLengthLong();
    if (length <= MAX_REQUEST_BYTES) {
      return;
    }
    if (length <= DRAIN_LIMIT_BYTES) {
      try (java.io.InputStream in = ctx.req().getInputStream()) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    throw new DataPactException(
        ErrorKind.PAYLOAD_TOO_LARGE,
        "the request body is " + length + " bytes; at most " + MAX_REQUEST_BYTES + " are accepted");
  }

  /**
   * Javalin's own pool (8 to 250 threads, a minute's idle timeout) without reserved threads. A
   * reserved thread is woken to take over the selector whenever one runs a task; on this project's
   * two-core VM each wake is a costly context switch, and without them the partner API answered
   * 21,000-23,000 audited reads a second against 18,700-19,600 (alternating runs,
   * docs/benchmarks.md). The plain peer of the load benchmark runs the same pool.
   */
  private static org.eclipse.jetty.util.thread.QueuedThreadPool threadPool() {
    org.eclipse.jetty.util.thread.QueuedThreadPool pool =
        new org.eclipse.jetty.util.thread.QueuedThreadPool(
            MAX_THREADS, MIN_THREADS, IDLE_THREAD_MS);
    pool.setReservedThreads(0);
    pool.setName("JettyServerThreadPool");
    return pool;
  }

  /**
   * @return the matched route's path template, or {@code other} for static files and unmatched
   *     paths
   */
  private static String routeOf(io.javalin.http.Context ctx) {
    try {
      io.javalin.router.Endpoint e = ctx.endpoints().matchedHttpEndpoint();
      return e == null ? "other" : e.path;
    } catch (java.util.NoSuchElementException e) {
      return "other"; // Javalin throws when nothing matched
    }
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @return the port the server listens on
   */
  public int port() {
    return app.port();
  }

  /**
   * @return the base URL, e.g. {@code http://127.0.0.1:8080/}
   */
  public URI baseUri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : h) + ":" + port() + "/");
  }

  /** Stops accepting requests and waits for in-flight ones. */
  @Override
  public void close() {
    var o = outbox;
    if (o != null) {
      o.close();
    }
    var f = feed;
    if (f != null) {
      f.close();
    }
    app.stop();
  }
}
