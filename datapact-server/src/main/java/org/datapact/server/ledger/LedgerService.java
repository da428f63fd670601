package org.datapact.server.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.user.UserId;
import org.datapact.ledger.checkpoint.Checkpointer;
import org.datapact.ledger.checkpoint.SigningKeys;
import org.datapact.ledger.log.DurableLog;
import org.datapact.ledger.log.LedgerBusyException;
import org.datapact.ledger.subject.SubjectKeys;

/**
 * The server's ledger: the durable log under {@code <data-dir>/ledger}, its signing key and a
 * one-second checkpointer, and the per-user key store ({@link SubjectKeys}) that gives each user
 * the random pseudonym entries carry instead of their id and the key their personal fields are
 * sealed with. {@link #record} returns only once the entry is durable: the caller releases
 * nothing before that (audit before release).
 *
 * <p>Thread-safe.
 */
public final class LedgerService implements AutoCloseable {
  /** How long a caller waits for its entry to become durable before giving up, by default. */
  public static final Duration DURABLE_TIMEOUT = Duration.ofSeconds(10);

  private final DurableLog log;
  private final SigningKeys keys;
  private final SubjectKeys subjects;
  private final Checkpointer checkpointer;
  private final String origin;
  private final Duration durableTimeout;

  private LedgerService(DurableLog log, SigningKeys keys, SubjectKeys subjects, Checkpointer checkpointer, String origin,
      Duration durableTimeout) {
    this.durableTimeout = durableTimeout;
    this.log = log;
    this.keys = keys;
    this.subjects = subjects;
    this.checkpointer = checkpointer;
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
      SubjectKeys subjects = SubjectKeys.open(subjectKeysFile(dir));
      // INVARIANT: a new subject key is durable before the first entry sealed under it
      DurableLog log = DurableLog.open(dir.resolve("log"), 65_536, entries -> {
        beforeSync.beforeSync(entries);
        try {
          subjects.syncIfDirty();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      String origin = "datapact/ledger/" + keys.verifierKey().split("\\+")[1];
      return new LedgerService(log, keys, subjects, new Checkpointer(log, origin, keys, clock, cadence), origin,
          durableTimeout);
    } catch (IOException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "cannot open the ledger in `" + dir + "`: " + e.getMessage(), e);
    }
  }

  /** @return the key store file of the ledger in {@code dir} */
  public static Path subjectKeysFile(Path dir) {
    return dir.resolve("keys").resolve("subjects.bin");
  }

  /**
   * @return the user's ledger subject (pseudonym and sealing key), created on first use
   * @throws DataPactException unavailable when the key store cannot be written
   */
  public SubjectKeys.Subject subject(UserId user) throws DataPactException {
    try {
      return subjects.subject(user.value());
    } catch (IOException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "cannot read the ledger's key store: " + e.getMessage(), e);
    }
  }

  /** @return the per-user key store */
  public SubjectKeys subjects() {
    return subjects;
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
    subjects.close();
  }
}
