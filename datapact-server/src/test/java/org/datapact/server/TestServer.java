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

  private TestServer(boolean demo) throws Exception {
    db = Database.open(new StoreConfig("jdbc:h2:mem:s" + UUID.randomUUID().toString().replace("-", "")
        + ";DB_CLOSE_DELAY=-1", null, null, null));
    cast = new WorldStore(db).ensure(new DemoWorldGenerator(new SecretHasher(10_000)), new WorldSpec(42, 300),
        ProgressListener.NONE, Clock.systemUTC()).cast();
    context = ServerContext.create(db, Clock.systemUTC(), demo ? cast : null);
    server = DataPactServer.start(context, "127.0.0.1", 0);
  }

  /** @return a server in demo mode */
  public static TestServer demo() throws Exception {
    return new TestServer(true);
  }

  /** @return a server started as {@code serve} would: no demo login */
  public static TestServer serve() throws Exception {
    return new TestServer(false);
  }

  public URI uri(String path) {
    return server.baseUri().resolve(path);
  }

  /** A client that keeps cookies, i.e. one browser session. */
  public Session session() {
    return new Session();
  }

  @Override
  public void close() {
    server.close();
    db.close();
  }

  /** One cookie-keeping client. */
  public final class Session {
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    public HttpResponse<String> get(String path) throws Exception {
      return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
      return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> delete(String path) throws Exception {
      return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
    }

    public HttpResponse<String> send(HttpRequest request) throws Exception {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> login(String handle) throws Exception {
      return post("/api/v1/session/demo", "{\"handle\":\"" + handle + "\"}");
    }
  }

  public static JsonNode json(HttpResponse<String> response) throws Exception {
    return MAPPER.readTree(response.body());
  }
}
