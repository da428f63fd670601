package org.datapact.server.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.user.UserId;
import org.datapact.ledger.checkpoint.Checkpointer;
import org.datapact.ledger.checkpoint.SigningKeys;
import org.datapact.ledger.log.DurableLog;
import org.datapact.ledger.log.LedgerBusyException;
import org.datapact.ledger.subject.SubjectKeys;
import org.jspecify.annotations.Nullable;

/**
 * The server's ledger: the durable log under {@code <data-dir>/ledger}, its signing key and a
 * one-second checkpointer, and the per-user key store ({@link SubjectKeys}) that gives each user
 * the random pseudonym entries carry instead of their id and the key their personal fields are
 * sealed with. {@link #record} returns only once the entry is durable, and {@link #recordAsync}'s
 * future completes only then: the caller releases nothing before that (audit before release).
 *
 * <p>Thread-safe.
 */
public final class LedgerService implements AutoCloseable {
  /** How long a caller waits for its entry to become durable before giving up, by default. */
  public static final Duration DURABLE_TIMEOUT = Duration.ofSeconds(10);

  private final DurableLog log;
  private final SigningKeys keys;
  private final SigningKeys receiptKeys;
  private final SubjectKeys subjects;
  private final Checkpointer checkpointer;
  private final String origin;
  private final Duration durableTimeout;

  /**
   * Runs what follows a durable entry for {@link #recordAsync} callers (writing an HTTP response),
   * off the log's sequencer, which would otherwise write the responses of a whole batch before its
   * next sync. Two threads: one per core of the machine we measure on.
   */
  private final ExecutorService responders =
      Executors.newFixedThreadPool(2, daemons("ledger-responder"));

  /** Fails {@link #recordAsync} futures whose entry is not durable within the timeout. */
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(daemons("ledger-timeouts"));

  /** Asynchronous records in the order they were made, which with one timeout is deadline order. */
  private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();

  private record Waiting(long deadline, CompletableFuture<Long> future) {}

  private LedgerService(
      DurableLog log,
      SigningKeys keys,
      SigningKeys receiptKeys,
      SubjectKeys subjects,
      Checkpointer checkpointer,
      String origin,
      Duration durableTimeout) {
    this.durableTimeout = durableTimeout;
    this.log = log;
    this.keys = keys;
    this.receiptKeys = receiptKeys;
    this.subjects = subjects;
    this.checkpointer = checkpointer;
    this.origin = origin;
    long period = Math.max(10, Math.min(100, durableTimeout.toMillis() / 10));
    var unused = sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Opens (or creates) the ledger in {@code dir}.
   *
   * @throws DataPactException unavailable when the directory cannot be used
   */
  public static LedgerService open(Path dir, Clock clock, Duration cadence)
      throws DataPactException {
    return open(dir, clock, cadence, DURABLE_TIMEOUT, DurableLog.BeforeSync.NONE);
  }

  /**
   * Opens the ledger with an explicit durability timeout and a hook before every sync (tests stall
   * the log with it).
   */
  public static LedgerService open(
      Path dir,
      Clock clock,
      Duration cadence,
      Duration durableTimeout,
      DurableLog.BeforeSync beforeSync)
      throws DataPactException {
    try {
      Files.createDirectories(dir);
      SigningKeys keys = SigningKeys.loadOrCreate(dir.resolve("keys"), "datapact-ledger");
      // consent receipts are signed under a key of their own, kept and published beside this one
      SigningKeys receiptKeys = SigningKeys.loadOrCreate(dir.resolve("keys"), "datapact-receipts");
      SubjectKeys subjects = SubjectKeys.open(subjectKeysFile(dir));
      // INVARIANT: a new subject key is durable before the first entry sealed under it
      DurableLog log =
          DurableLog.open(
              dir.resolve("log"),
              65_536,
              entries -> {
                beforeSync.beforeSync(entries);
                try {
                  subjects.syncIfDirty();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      String origin = "datapact/ledger/" + keys.verifierKey().split("\\+")[1];
      return new LedgerService(
          log,
          keys,
          receiptKeys,
          subjects,
          new Checkpointer(log, origin, keys, clock, cadence),
          origin,
          durableTimeout);
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot open the ledger in `" + dir + "`: " + e.getMessage(), e);
    }
  }

  /**
   * @return the subject index file of the ledger in {@code dir} (derived from the log)
   */
  public static Path subjectIndexFile(Path dir) {
    return dir.resolve("index").resolve("subjects.idx");
  }

  /**
   * @return the key store file of the ledger in {@code dir}
   */
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
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot read the ledger's key store: " + e.getMessage(), e);
    }
  }

  /**
   * @return the per-user key store
   */
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
    return record(entry, null);
  }

  /**
   * Appends an entry and waits until it is durable; {@code onDurable} runs first, on the log's
   * sequencer, in the order of the log (see {@link DurableLog#append(byte[], LongConsumer)}).
   *
   * @return the entry's index
   * @throws DataPactException as {@link #record(byte[])}
   */
  public long record(byte[] entry, @Nullable LongConsumer onDurable) throws DataPactException {
    try {
      return log.append(entry, onDurable).get(durableTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (LedgerBusyException e) {
      throw busy(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataPactException(ErrorKind.UNAVAILABLE, "interrupted while writing the ledger", e);
    } catch (ExecutionException | TimeoutException | IllegalStateException e) {
      throw unwritten(e);
    }
  }

  /**
   * Appends an entry without blocking the caller.
   *
   * @return a future that completes, on a responder thread, with the entry's index once it is
   *     durable; or exceptionally with a {@link DataPactException} (unavailable, HTTP 503) when the
   *     log is busy, failed or does not make the entry durable within the timeout — nothing may be
   *     released then
   */
  public CompletableFuture<Long> recordAsync(byte[] entry) {
    return recordAsync(entry, null);
  }

  /**
   * Appends an entry without blocking the caller, like {@link #recordAsync(byte[])}; {@code
   * onDurable} runs on the log's sequencer, in the order of the log, before the future completes.
   */
  public CompletableFuture<Long> recordAsync(byte[] entry, @Nullable LongConsumer onDurable) {
    CompletableFuture<Long> durable;
    try {
      durable = log.append(entry, onDurable);
    } catch (LedgerBusyException e) {
      return CompletableFuture.failedFuture(busy(e));
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(unwritten(e));
    }
    CompletableFuture<Long> out = new CompletableFuture<>();
    waiting.add(new Waiting(System.nanoTime() + durableTimeout.toNanos(), out));
    var unused =
        durable.whenCompleteAsync(
            (index, e) -> { // the log completes `durable` itself: `e` is its own failure
              if (e == null) {
                out.complete(index);
              } else {
                out.completeExceptionally(unwritten(e));
              }
            },
            responders);
    return out;
  }

  private static DataPactException busy(LedgerBusyException e) {
    return new DataPactException(ErrorKind.UNAVAILABLE, "the ledger is busy; retry in a second", e);
  }

  private static DataPactException unwritten(Throwable e) {
    return new DataPactException(
        ErrorKind.UNAVAILABLE,
        "the ledger could not make the entry durable; nothing was released",
        e);
  }

  /** Drops finished waits from the head of the queue and fails those past their deadline. */
  private void sweep() {
    long now = System.nanoTime();
    for (Waiting w; (w = waiting.peek()) != null; ) {
      if (!w.future().isDone() && now - w.deadline() < 0) {
        return; // the oldest unfinished wait has time left, and every later one more
      }
      waiting.poll();
      CompletableFuture<Long> late = w.future();
      if (!late.isDone()) {
        responders.execute(
            () ->
                late.completeExceptionally(
                    unwritten(
                        new TimeoutException(
                            "not durable within " + durableTimeout.toMillis() + " ms"))));
      }
    }
  }

  /**
   * @return the ledger's directory (the log, keys and derived index beneath it)
   */
  public Path directory() {
    return log.directory().toAbsolutePath().resolve("..").normalize();
  }

  /**
   * @return the log
   */
  public DurableLog log() {
    return log;
  }

  /**
   * @return the signing key
   */
  public SigningKeys keys() {
    return keys;
  }

  /**
   * @return the key consent receipts are signed with (Ed25519, beside the ledger's)
   */
  public SigningKeys receiptKeys() {
    return receiptKeys;
  }

  /**
   * @return the log's origin line
   */
  public String origin() {
    return origin;
  }

  /**
   * @return the latest checkpoint the ticker signed (it signs each second while the log grows); a
   *     request never makes it sign or sync another, except on a ledger opened without a cadence
   *     (tests), where checkpoints are on demand
   */
  public String checkpoint() throws IOException {
    if (checkpointer.onDemand()) {
      checkpointer.tick();
    }
    return checkpointer.latest();
  }

  /**
   * @return the latest checkpoint the ticker signed, or empty before the first (never signs one)
   */
  public java.util.Optional<String> latestCheckpoint() {
    return checkpointer.latestIfAny();
  }

  /**
   * @return the seconds since the latest signed checkpoint was taken, or NaN before the first; the
   *     ticker signs only while the log grows, so an idle log's checkpoint ages
   */
  public double checkpointAgeSeconds(java.time.Instant now) {
    var note = checkpointer.latestIfAny();
    if (note.isEmpty()) {
      return Double.NaN;
    }
    for (String line : note.get().split("\n")) {
      if (line.startsWith("timestamp ")) {
        return (now.toEpochMilli() - Long.parseLong(line.substring(10).strip())) / 1000.0;
      }
    }
    return Double.NaN;
  }

  /**
   * @return how many checkpoint ticks have failed since start
   */
  public long checkpointFailures() {
    return checkpointer.failures();
  }

  /**
   * @return why the ledger cannot take entries or sign checkpoints now, or empty when it can
   */
  public java.util.Optional<String> unwritable() {
    var f = log.refusal();
    if (f.isPresent()) {
      return java.util.Optional.of("the log refuses appends: " + f.get());
    }
    return checkpointer.failing().map(m -> "checkpoints are failing: " + m);
  }

  @Override
  public void close() throws IOException {
    sweeper.shutdownNow();
    checkpointer.close();
    log.close();
    responders.shutdown();
    try {
      responders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    subjects.close();
  }
}
