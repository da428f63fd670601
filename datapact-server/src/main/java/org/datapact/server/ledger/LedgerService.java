package org.datapact.server.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.user.UserId;
import org.datapact.ledger.checkpoint.Checkpointer;
import org.datapact.ledger.checkpoint.SigningKeys;
import org.datapact.ledger.log.DurableLog;
import org.datapact.ledger.log.LedgerBusyException;

/**
 * The server's ledger: the durable log under {@code <data-dir>/ledger}, its signing key and a
 * one-second checkpointer, and the pseudonymisation key that turns user ids into the keyed hashes
 * that entries carry instead of the id. {@link #record} returns only once the entry is durable:
 * the caller releases nothing before that (audit before release).
 *
 * <p>Thread-safe.
 */
public final class LedgerService implements AutoCloseable {
  /** How long a caller waits for its entry to become durable before giving up, by default. */
  public static final Duration DURABLE_TIMEOUT = Duration.ofSeconds(10);

  private final DurableLog log;
  private final SigningKeys keys;
  private final Checkpointer checkpointer;
  /** One keyed MAC per thread: every audited decision computes a pseudonym. */
  private final ThreadLocal<Mac> pseudonymMac;
  private final String origin;
  private final Duration durableTimeout;

  private LedgerService(DurableLog log, SigningKeys keys, Checkpointer checkpointer, byte[] pseudonymKey, String origin,
      Duration durableTimeout) {
    this.durableTimeout = durableTimeout;
    this.log = log;
    this.keys = keys;
    this.checkpointer = checkpointer;
    this.pseudonymMac = ThreadLocal.withInitial(() -> mac(pseudonymKey));
    this.origin = origin;
  }

  /**
   * Opens (or creates) the ledger in {@code dir}.
   *
   * @throws DataPactException unavailable when the directory cannot be used
   */
  public static LedgerService open(Path dir, Clock clock, Duration cadence) throws DataPactException {
    return open(dir, clock, cadence, DURABLE_TIMEOUT, DurableLog.BeforeSync.NONE);
  }

  /**
   * Opens the ledger with an explicit durability timeout and a hook before every sync (tests
   * stall the log with it).
   */
  public static LedgerService open(Path dir, Clock clock, Duration cadence, Duration durableTimeout,
      DurableLog.BeforeSync beforeSync) throws DataPactException {
    try {
      Files.createDirectories(dir);
      SigningKeys keys = SigningKeys.loadOrCreate(dir.resolve("keys"), "datapact-ledger");
      byte[] pseudonymKey = loadOrCreateSecret(dir.resolve("keys").resolve("pseudonym.key"));
      DurableLog log = DurableLog.open(dir.resolve("log"), 65_536, beforeSync);
      String origin = "datapact/ledger/" + keys.verifierKey().split("\\+")[1];
      return new LedgerService(log, keys, new Checkpointer(log, origin, keys, clock, cadence), pseudonymKey, origin,
          durableTimeout);
    } catch (IOException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "cannot open the ledger in `" + dir + "`: " + e.getMessage(), e);
    }
  }

  private static byte[] loadOrCreateSecret(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(file, HexFormat.of().formatHex(key) + "\n", StandardOpenOption.CREATE_NEW);
      try {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // INVARIANT: the key directory's permissions protect it on non-POSIX file systems
      }
      return key;
    }
    return HexFormat.of().parseHex(Files.readString(file).strip());
  }

  /** @return the pseudonymous id of a user in ledger entries: HMAC-SHA256 under the ledger's key, 128 bits, hex */
  public String pseudonym(UserId user) {
    byte[] h = pseudonymMac.get().doFinal(Long.toString(user.value()).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(h, 0, 16);
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e); // INVARIANT: every JDK has it
    }
  }

  /**
   * Appends an entry and waits until it is durable.
   *
   * @return the entry's index
   * @throws DataPactException unavailable (HTTP 503) when the log is busy, failed or too slow;
   *     nothing may be released then
   */
  public long record(byte[] entry) throws DataPactException {
    try {
      return log.append(entry).get(durableTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (LedgerBusyException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "the ledger is busy; retry in a second", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataPactException(ErrorKind.UNAVAILABLE, "interrupted while writing the ledger", e);
    } catch (ExecutionException | TimeoutException | IllegalStateException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "the ledger could not make the entry durable; nothing was released", e);
    }
  }

  /** @return the log */
  public DurableLog log() {
    return log;
  }

  /** @return the signing key */
  public SigningKeys keys() {
    return keys;
  }

  /** @return the log's origin line */
  public String origin() {
    return origin;
  }

  /** @return a signed checkpoint covering every entry durable now */
  public String checkpoint() throws IOException {
    checkpointer.tick();
    return checkpointer.latest();
  }

  @Override
  public void close() throws IOException {
    checkpointer.close();
    log.close();
  }
}
