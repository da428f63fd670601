package org.datapact.server.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Log lines to standard output through a buffer that is written out when it fills, every {@link
 * #setFlushMillis flushMillis} (100 ms by default), and at once after a WARN or ERROR — as nginx's
 * {@code access_log ... buffer= flush=} does. Logback's console appender writes each line with its
 * own system call; under the partner API's load (a request line per call) those were 2 % of the
 * server's CPU on a VM where a system call is dear (docs/benchmarks.md). A line reaches the console
 * at most {@code flushMillis} late, and a process killed with SIGKILL loses at most that much of
 * its INFO log; the ledger, not this log, is the record of what was released.
 *
 * <p>Writes through {@code System.out} as it is when the appender starts, so redirections made
 * before then apply.
 */
public final class BufferedConsoleAppender extends OutputStreamAppender<ILoggingEvent> {
  private static final int BUFFER_BYTES = 64 << 10;
  private long flushMillis = 100;
  private @Nullable ScheduledExecutorService flusher;

  /** Writes out what is buffered when the JVM exits without stopping Logback. */
  private @Nullable Thread atExit;

  /**
   * @param flushMillis the longest a line waits in the buffer, in milliseconds (at least 1)
   */
  public void setFlushMillis(long flushMillis) {
    this.flushMillis = flushMillis;
  }

  @Override
  public void start() {
    if (flushMillis < 1) {
      addError("flushMillis must be at least 1, got " + flushMillis);
      return;
    }
    setOutputStream(new BufferedOutputStream(System.out, BUFFER_BYTES));
    setImmediateFlush(false);
    super.start();
    if (!isStarted()) {
      return;
    }
    flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "log-flusher");
              t.setDaemon(true);
              return t;
            });
    var unused =
        flusher.scheduleWithFixedDelay(
            this::flush, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    atExit = new Thread(this::flush, "log-flush-at-exit");
    Runtime.getRuntime().addShutdownHook(atExit);
  }

  @Override
  protected void subAppend(ILoggingEvent event) {
    super.subAppend(event);
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      flush();
    }
  }

  /** Writes out whatever the buffer holds. */
  void flush() {
    streamWriteLock.lock();
    try {
      OutputStream os = getOutputStream();
      if (os != null) {
        os.flush();
      }
    } catch (IOException e) {
      addError("cannot write the log to standard output", e);
    } finally {
      streamWriteLock.unlock();
    }
  }

  @Override
  public void stop() {
    if (flusher != null) {
      flusher.shutdownNow();
      flusher = null;
    }
    if (atExit != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(atExit);
      } catch (IllegalStateException exiting) {
        // the JVM is exiting: the hook runs (or has run) anyway
      }
      atExit = null;
    }
    super.stop();
  }

  /** Flushes but leaves standard output open: the process may still write to it. */
  @Override
  protected void closeOutputStream() {
    flush();
  }
}
