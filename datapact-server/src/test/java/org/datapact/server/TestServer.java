package org.datapact.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.UUID;
import org.datapact.core.party.PartnerIds;
import org.datapact.core.security.SecretHasher;
import org.datapact.core.world.Cast;
import org.datapact.core.world.DemoWorldGenerator;
import org.datapact.core.world.ProgressListener;
import org.datapact.core.world.WorldSpec;
import org.datapact.store.Database;
import org.datapact.store.StoreConfig;
import org.datapact.store.world.WorldStore;

/** A real server on a random port over an in-memory H2 demo world, and a cookie-keeping client. */
public final class TestServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public final Database db;
  public final Cast cast;
  public final ServerContext context;
  public final DataPactServer server;
  public final org.datapact.server.ledger.LedgerService ledger;
  public final java.nio.file.Path ledgerDir;
  public final StoreConfig store;
  public final int port;

  /** Whether the decision point was built as the world was generated, not read from the store. */
  public final boolean snapshotFromGenerator;

  private TestServer(boolean demo) throws Exception {
    this(demo, LedgerService_DEFAULT);
  }

  /** The default: a ledger that syncs normally and waits up to ten seconds. */
  private static final java.util.function.Function<
          java.nio.file.Path, org.datapact.server.ledger.LedgerService>
      LedgerService_DEFAULT =
          dir -> {
            try {
              return org.datapact.server.ledger.LedgerService.open(
                  dir, Clock.systemUTC(), java.time.Duration.ZERO);
            } catch (org.datapact.core.DataPactException e) {
              throw new IllegalStateException(e);
            }
          };

  private TestServer(
      boolean demo,
      java.util.function.Function<java.nio.file.Path, org.datapact.server.ledger.LedgerService>
          ledgerFactory)
      throws Exception {
    this(demo, ledgerFactory, freshH2());
  }

  private TestServer(
      boolean demo,
      java.util.function.Function<java.nio.file.Path, org.datapact.server.ledger.LedgerService>
          ledgerFactory,
      StoreConfig store)
      throws Exception {
    this(demo, ledgerFactory, store, 300, Clock.systemUTC());
  }

  private TestServer(
      boolean demo,
      java.util.function.Function<java.nio.file.Path, org.datapact.server.ledger.LedgerService>
          ledgerFactory,
      StoreConfig store,
      int users,
      Clock clock)
      throws Exception {
    this(demo, ledgerFactory, store, users, clock, 0, c -> java.util.List.of());
  }

  private TestServer(
      boolean demo,
      java.util.function.Function<java.nio.file.Path, org.datapact.server.ledger.LedgerService>
          ledgerFactory,
      StoreConfig store,
      int users,
      Clock clock,
      int port,
      java.util.function.Function<ServerContext, java.util.List<org.datapact.server.http.Feature>>
          extra)
      throws Exception {
    this(demo, ledgerFactory, store, users, clock, port, extra, null);
  }

  private TestServer(
      boolean demo,
      java.util.function.Function<java.nio.file.Path, org.datapact.server.ledger.LedgerService>
          ledgerFactory,
      StoreConfig store,
      int users,
      Clock clock,
      int port,
      java.util.function.Function<ServerContext, java.util.List<org.datapact.server.http.Feature>>
          extra,
      java.nio.file.@org.jspecify.annotations.Nullable Path reuseLedger)
      throws Exception {
    this.store = store;
    db = Database.open(store);
    // as the demo's first start does: the decision point is built as the world is generated
    var generated = ServerContext.generatedPolicy();
    var loaded =
        new WorldStore(db)
            .ensure(
                new DemoWorldGenerator(new SecretHasher(10_000)),
                new WorldSpec(42, users),
                ProgressListener.NONE,
                clock,
                generated);
    cast = loaded.cast();
    ledgerDir =
        reuseLedger != null
            ? reuseLedger
            : java.nio.file.Files.createTempDirectory("datapact-ledger");
    ledger = ledgerFactory.apply(ledgerDir);
    context =
        ServerContext.create(
            db,
            clock,
            org.datapact.server.session.SessionTokens.withRandomKey(clock),
            ledger,
            demo ? cast : null,
            demo ? DemoWorldGenerator.partnerIds(cast.seed()) : PartnerIds.random(),
            loaded.generated() ? generated : null);
    snapshotFromGenerator = generated.taken();
    server = DataPactServer.start(context, "127.0.0.1", port, extra.apply(context));
    this.port = server.port();
  }

  /**
   * @return the demo server started again, after {@code old} was closed, on its port, its store and
   *     its ledger directory as it is on disk now
   */
  public static TestServer restartOf(TestServer old) throws Exception {
    return new TestServer(
        true,
        LedgerService_DEFAULT,
        old.store,
        300,
        Clock.systemUTC(),
        old.port,
        c -> java.util.List.of(),
        old.ledgerDir);
  }

  /**
   * @return a demo server whose ledger lives in {@code dir} (e.g. on a small file system a test
   *     fills)
   */
  public static TestServer demoWithLedgerIn(java.nio.file.Path dir) throws Exception {
    return new TestServer(
        true,
        LedgerService_DEFAULT,
        freshH2(),
        300,
        Clock.systemUTC(),
        0,
        c -> java.util.List.of(),
        dir);
  }

  /** A new in-memory H2 database of its own (kept until the JVM ends: a test may restart on it). */
  public static StoreConfig freshH2() {
    return new StoreConfig(
        "jdbc:h2:mem:s" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1",
        null,
        null,
        null);
  }

  /**
   * @return a server in demo mode over a world of {@code users} in {@code store}, whose ledger, in
   *     {@code ledgerDir}, {@code ledgerFactory} opens (a test makes it fail, then starts again on
   *     the same store and directory)
   */
  public static TestServer demoOn(
      StoreConfig store,
      int users,
      java.nio.file.Path ledgerDir,
      java.util.function.Function<java.nio.file.Path, org.datapact.server.ledger.LedgerService>
          ledgerFactory)
      throws Exception {
    return new TestServer(
        true,
        ledgerFactory,
        store,
        users,
        Clock.systemUTC(),
        0,
        c -> java.util.List.of(),
        ledgerDir);
  }

  /**
   * @return a server in demo mode over a world of {@code users} in {@code store}, with its ledger
   *     in {@code ledgerDir}
   */
  public static TestServer demoOn(StoreConfig store, int users, java.nio.file.Path ledgerDir)
      throws Exception {
    return demoOn(store, users, ledgerDir, LedgerService_DEFAULT);
  }

  /**
   * @return a server in demo mode over {@code store} (e.g. a PostgreSQL schema)
   */
  public static TestServer demoOn(StoreConfig store) throws Exception {
    return new TestServer(true, LedgerService_DEFAULT, store);
  }

  /**
   * @return a server in demo mode over a world of {@code users} (the default is 300)
   */
  public static TestServer demoWithUsers(int users) throws Exception {
    return new TestServer(true, LedgerService_DEFAULT, freshH2(), users, Clock.systemUTC());
  }

  /**
   * @return a server in demo mode on {@code clock}: the world's first start (the reports its
   *     partners filed before it) and DataPact's clock for every decision
   */
  public static TestServer demoAt(Clock clock) throws Exception {
    return new TestServer(true, LedgerService_DEFAULT, freshH2(), 300, clock);
  }

  /**
   * @return a second node beside {@code first} (a {@link #demoAt} server): the same store and
   *     world, its own ledger shard, on {@code clock}
   */
  public static TestServer alongside(TestServer first, Clock clock) throws Exception {
    return new TestServer(true, LedgerService_DEFAULT, first.store, 300, clock);
  }

  /**
   * @return a server as {@code serve} runs it (no demo login) over the demo world, on {@code port},
   *     with {@code extra} features (e.g. OpenID Connect sign-in)
   */
  public static TestServer serveWith(
      int port,
      java.util.function.Function<ServerContext, java.util.List<org.datapact.server.http.Feature>>
          extra)
      throws Exception {
    return new TestServer(
        false, LedgerService_DEFAULT, freshH2(), 300, Clock.systemUTC(), port, extra);
  }

  /**
   * @return a server as {@code serve} runs it, signing people in through the OpenID provider at
   *     {@code issuer} (client {@code datapact}, the default claim names)
   */
  public static TestServer serveWithOidc(java.net.URI issuer) throws Exception {
    int port = freePort();
    return serveWith(
        port,
        context ->
            java.util.List.of(
                new org.datapact.server.session.OidcFeature(
                    context,
                    new org.datapact.server.session.OidcFeature.Settings(
                        issuer,
                        "datapact",
                        "not-a-real-secret",
                        java.net.URI.create("http://127.0.0.1:" + port + "/auth/oidc/callback"),
                        "datapact_role",
                        "datapact_user",
                        "datapact_party",
                        false))));
  }

  /**
   * Waits until a signed checkpoint covers entry {@code index} (one is signed each second).
   *
   * @throws AssertionError after ten seconds
   */
  public void awaitCheckpointCovering(long index) throws Exception {
    var keys = context.ledger().keys();
    for (int i = 0; i < 200; i++) {
      var c =
          org.datapact.ledger.checkpoint.Notes.verify(
              context.ledger().checkpoint(), keys.name(), keys.rawPublicKey());
      if (c.size() > index) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no signed checkpoint covers entry " + index + " after 10 s");
  }

  /**
   * @return a free local port
   */
  public static int freePort() throws java.io.IOException {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * @return a server in demo mode
   */
  public static TestServer demo() throws Exception {
    return new TestServer(true);
  }

  /**
   * @return a server in demo mode whose ledger gives up on an entry after {@code durableTimeout}
   *     and runs {@code beforeSync} before every group commit (tests stall it there)
   */
  public static TestServer demoWithLedger(
      java.time.Duration durableTimeout, org.datapact.ledger.log.DurableLog.BeforeSync beforeSync)
      throws Exception {
    return new TestServer(
        true,
        dir -> {
          try {
            return org.datapact.server.ledger.LedgerService.open(
                dir, Clock.systemUTC(), java.time.Duration.ZERO, durableTimeout, beforeSync);
          } catch (org.datapact.core.DataPactException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * @return a server started as {@code serve} would: no demo login
   */
  public static TestServer serve() throws Exception {
    return new TestServer(false);
  }

  /**
   * @return the server's origin, as a browser on its pages sends it
   */
  public String origin() {
    URI b = server.baseUri();
    return b.getScheme() + "://" + b.getHost() + ":" + b.getPort();
  }

  public URI uri(String path) {
    return server.baseUri().resolve(path);
  }

  /** A client that keeps cookies, i.e. one browser session. */
  public Session session() {
    return new Session();
  }

  /** Stops the server and closes its ledger and store, leaving both as they are (to restart). */
  public void stopKeepingData() throws java.io.IOException {
    server.close();
    context.audit().close();
    ledger.close();
    db.close();
  }

  @Override
  public void close() {
    server.close();
    context.audit().close();
    try {
      ledger.close();
      try (var files = java.nio.file.Files.walk(ledgerDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    db.close();
  }

  /**
   * One cookie-keeping client that, like a browser on the site's own pages, sends a same-origin
   * {@code Origin}.
   */
  public final class Session {
    private final HttpClient http =
        HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    public HttpResponse<String> get(String path) throws Exception {
      return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
      return send(
          HttpRequest.newBuilder(uri(path))
              .header("Content-Type", "application/json")
              .header("Origin", origin())
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build());
    }

    public HttpResponse<String> put(String path) throws Exception {
      return send(
          HttpRequest.newBuilder(uri(path))
              .header("Origin", origin())
              .PUT(HttpRequest.BodyPublishers.noBody())
              .build());
    }

    public HttpResponse<String> delete(String path) throws Exception {
      return send(HttpRequest.newBuilder(uri(path)).header("Origin", origin()).DELETE().build());
    }

    public HttpResponse<String> send(HttpRequest request) throws Exception {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> login(String handle) throws Exception {
      return post("/api/v1/session/demo", "{\"handle\":\"" + handle + "\"}");
    }
  }

  /**
   * @return the demo secret of a party's client
   */
  public String secretOf(String party) {
    return cast.clients().stream()
        .filter(c -> c.party().value().equals(party))
        .findFirst()
        .orElseThrow()
        .clientSecret()
        .revealForHashingOrDisplayOnce();
  }

  /**
   * @return the client id of a party's client
   */
  public String clientIdOf(String party) {
    return cast.clients().stream()
        .filter(c -> c.party().value().equals(party))
        .findFirst()
        .orElseThrow()
        .clientId();
  }

  /**
   * @return an access token for a party's client, via POST /oauth/token with HTTP Basic
   */
  public String token(String party) throws Exception {
    HttpResponse<String> r = tokenRequest(clientIdOf(party), secretOf(party));
    if (r.statusCode() != 200) {
      throw new AssertionError("token request failed: " + r.body());
    }
    return json(r).get("access_token").asText();
  }

  /**
   * @return the answer of POST /oauth/token for these client credentials
   */
  public HttpResponse<String> tokenRequest(String clientId, String secret) throws Exception {
    String basic =
        java.util.Base64.getEncoder()
            .encodeToString(
                (clientId + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri("/oauth/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * @return the answer to {@code partner}'s app reading the profile of the user with id {@code
   *     user} for recommendations (a release about them in the ledger)
   */
  public HttpResponse<String> partnerReadsProfile(String partner, long user) throws Exception {
    return getWithToken(
        token(partner),
        "/api/v1/users/" + partnerId(partner, user) + "/profile?purpose=recommendations");
  }

  /** POSTs JSON with a bearer token. */
  public HttpResponse<String> postWithToken(String token, String path, String json)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** GETs with a bearer token. */
  public HttpResponse<String> getWithToken(String token, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * @return {@code user}'s id as {@code partner} sees it
   */
  public String partnerId(String partner, long user) {
    return context
        .partnerIds()
        .of(org.datapact.core.party.PartyId.of(partner), org.datapact.core.user.UserId.of(user));
  }

  public static JsonNode json(HttpResponse<String> response) throws Exception {
    return MAPPER.readTree(response.body());
  }
}
