package org.datapact.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.world.Cast;
import org.datapact.ledger.checkpoint.Checkpointer;
import org.datapact.server.DataPactServer;
import org.datapact.server.ServerContext;
import org.datapact.server.ledger.LedgerService;
import org.datapact.server.session.SessionTokens;
import org.datapact.store.Database;
import org.datapact.store.StoreConfig;
import org.jspecify.annotations.Nullable;

/**
 * What {@code demo} and {@code serve} share: checking the data dir, opening the store, serving
 * until stopped.
 */
final class Launch {
  private Launch() {}

  /** Creates the data directory if needed and proves it is writable. */
  static Path dataDir(Settings settings) throws DataPactException {
    Path dir = Path.of(settings.get("data-dir")).toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
      Files.delete(probe);
      return dir;
    } catch (AccessDeniedException e) {
      throw unwritable(dir, "permission denied");
    } catch (FileSystemException e) {
      throw unwritable(dir, e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
    } catch (IOException e) {
      throw unwritable(dir, String.valueOf(e.getMessage()));
    }
  }

  private static DataPactException unwritable(Path dir, String why) {
    return new DataPactException(
        ErrorKind.CONFIGURATION,
        "data directory `"
            + dir
            + "` is not writable ("
            + why
            + "); choose another with --data-dir");
  }

  /**
   * @return the store config: the URL setting, or embedded H2 under the data dir
   */
  static StoreConfig storeConfig(Settings settings, Path dataDir) throws DataPactException {
    String url = settings.get("db-url");
    if (url == null || url.isBlank()) {
      return StoreConfig.embedded(dataDir);
    }
    try {
      return new StoreConfig(url, settings.get("db-user"), settings.get("db-password"), null);
    } catch (IllegalArgumentException e) {
      throw new DataPactException(ErrorKind.CONFIGURATION, String.valueOf(e.getMessage()));
    }
  }

  /** Fails early, before long work, when the port is taken. */
  static void checkPortFree(String host, int port) throws DataPactException {
    if (port == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE,
          "port "
              + port
              + " on "
              + host
              + " is already in use; stop the other program or choose another with --port");
    }
  }

  private static void closeQuietly(LedgerService ledger) {
    try {
      ledger.close();
    } catch (java.io.IOException e) {
      // INVARIANT: closing only syncs derived files; the entries are already durable
      System.err.println("datapact: warning: ledger close: " + e.getMessage());
    }
  }

  /**
   * @return the partner-scoped ids of {@code serve}: a random master key kept owner-only in {@code
   *     file}, so ids stay stable across restarts
   */
  static org.datapact.core.party.PartnerIds partnerIds(Path file) throws DataPactException {
    return new org.datapact.core.party.PartnerIds(partnerIdKey(file));
  }

  /**
   * @return the partner-id key every node sharing {@code db} uses: the first node stores its own
   *     (the one in {@code file}, created if absent, so a single node keeps its ids), every other
   *     node takes the stored one — a partner sees the same ids whichever node answers
   */
  static org.datapact.core.party.PartnerIds partnerIds(Path file, org.datapact.store.Database db)
      throws DataPactException {
    byte[] shared =
        new org.datapact.store.cluster.SigningKeyStore(db)
            .sharedSecret(
                "partner-ids", "partner-ids", partnerIdKey(file), Clock.systemUTC().instant());
    return new org.datapact.core.party.PartnerIds(shared);
  }

  private static byte[] partnerIdKey(Path file) throws DataPactException {
    try {
      if (!java.nio.file.Files.exists(file)) {
        java.nio.file.Files.createDirectories(file.getParent());
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        java.nio.file.Files.writeString(
            file,
            java.util.HexFormat.of().formatHex(key) + "\n",
            java.nio.file.StandardOpenOption.CREATE_NEW);
        try {
          java.nio.file.Files.setPosixFilePermissions(
              file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // INVARIANT: the data directory's permissions protect it on non-POSIX file systems
        }
      }
      return java.util.HexFormat.of().parseHex(java.nio.file.Files.readString(file).strip());
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION,
          "cannot use the partner-id key `" + file + "`: " + e.getMessage());
    }
  }

  /**
   * @return session tokens signed with {@code session-key} (base64, at least 32 bytes) so that
   *     several nodes, or a restarted one, accept each other's sessions; a random key otherwise
   */
  static SessionTokens sessionTokens(Settings settings) throws DataPactException {
    String key = settings.get("session-key");
    if (key == null || key.isBlank()) {
      return SessionTokens.withRandomKey(Clock.systemUTC());
    }
    byte[] bytes;
    try {
      bytes = java.util.Base64.getDecoder().decode(key);
    } catch (IllegalArgumentException e) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION, "session-key must be base64 (e.g. `openssl rand -base64 32`)");
    }
    if (bytes.length < 32) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION,
          "session-key must decode to at least 32 bytes, got "
              + bytes.length
              + " (e.g. `openssl rand -base64 32`)");
    }
    return new SessionTokens(bytes, Clock.systemUTC());
  }

  /**
   * Starts the server and blocks until the process is asked to stop; then closes it and the store.
   *
   * @param generated the policy of the world this process has just generated, if it has (the demo's
   *     first start): the decision point is built from it rather than read back
   * @param started run once the server answers (the demo's first start simulates ads delivery then)
   */
  static void serveUntilStopped(
      Database db,
      Path dataDir,
      Settings settings,
      @Nullable Cast demoCast,
      org.datapact.core.world.@Nullable GeneratedPolicy generated,
      PrintWriter out,
      String banner,
      java.util.function.Consumer<ServerContext> started)
      throws DataPactException, InterruptedException {
    org.datapact.server.ops.LogFormats.use(settings.required("log-format"));
    LedgerService ledger =
        LedgerService.open(
            dataDir.resolve("ledger"), Clock.systemUTC(), Checkpointer.DEFAULT_CADENCE);
    DataPactServer server;
    ServerContext context;
    try {
      context =
          ServerContext.create(
              db,
              Clock.systemUTC(),
              sessionTokens(settings),
              ledger,
              demoCast,
              demoCast != null
                  ? org.datapact.core.world.DemoWorldGenerator.partnerIds(demoCast.seed())
                  : partnerIds(dataDir.resolve("keys").resolve("partner-ids.key"), db),
              generated);
      String host = settings.required("host");
      var oidc = demoCast == null ? settings.oidc() : null; // the demo keeps its cast picker
      server =
          DataPactServer.start(
              context,
              host,
              settings.port(),
              org.datapact.server.http.EdgePolicy.bound(settings.publicUrl(), host),
              oidc == null
                  ? java.util.List.of()
                  : java.util.List.of(new org.datapact.server.session.OidcFeature(context, oidc)));
    } catch (DataPactException | RuntimeException e) {
      closeQuietly(ledger);
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  context.audit().close();
                  closeQuietly(ledger);
                  db.close();
                  stopped.countDown();
                },
                "datapact-shutdown"));
    out.print(banner.replace("{url}", server.baseUri().toString()));
    out.flush();
    started.accept(context);
    stopped.await();
  }
}
