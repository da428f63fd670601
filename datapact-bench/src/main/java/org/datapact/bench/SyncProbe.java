package org.datapact.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The disk's own latency floor for an audited answer, measured beside the load benchmark: a write
 * and an {@code fdatasync} of {@code bytes} into a zero-filled file, {@code rate} times a second,
 * as the ledger's group commit does under load (docs/benchmarks.md). No answer that waits for its
 * entry to be durable can have a shorter tail than the sync that carries it, whatever the server
 * does, so the load script prints this next to the fixed-rate runs: a p99 that follows the disk's
 * stalls is the disk's.
 *
 * <p>Usage: {@code SyncProbe <dir> <seconds> <bytes per sync> <syncs per second>}. Prints one line.
 */
public final class SyncProbe {
  private SyncProbe() {}

  /**
   * How much of the file is zero-filled ahead and written round, as the ledger preallocates its
   * segment.
   */
  private static final int FILE_BYTES = 1 << 20;

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      refuse("usage: SyncProbe <dir> <seconds> <bytes per sync> <syncs per second>");
    }
    double seconds = 0;
    int bytes = 0;
    int rate = 0;
    try {
      seconds = Double.parseDouble(args[1]);
      bytes = Integer.parseInt(args[2]);
      rate = Integer.parseInt(args[3]);
    } catch (NumberFormatException e) {
      refuse("seconds, bytes and rate are numbers: " + e.getMessage());
    }
    if (!(seconds > 0) || bytes <= 0 || bytes > FILE_BYTES || rate <= 0) {
      refuse("seconds and rate must be positive, bytes from 1 to " + FILE_BYTES);
    }
    System.out.println(run(Path.of(args[0]), seconds, bytes, rate)); // the report, as LoadDriver's
  }

  /** One line on standard error and exit code 2, as for any usage error of the bench tools. */
  private static void refuse(String message) {
    System.err.println(message);
    System.exit(2);
  }

  /**
   * @return the report line of one probe
   */
  static String run(Path dir, double seconds, int bytes, int rate) throws IOException {
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, "sync-probe", ".bin");
    Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(FILE_BYTES), 0);
      ch.force(true);
      ByteBuffer record = ByteBuffer.allocate(bytes);
      long period = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long due = start;
      long pos = 0;
      while (due < end) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long t0 = System.nanoTime();
        record.clear();
        if (pos + bytes > FILE_BYTES) {
          pos = 0;
        }
        while (record.hasRemaining()) {
          pos += ch.write(record, pos);
        }
        ch.force(false);
        h.recordValue(System.nanoTime() - t0);
        due += period; // a sync that overran its slot delays the next, as a group commit does
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return String.format(
        Locale.ROOT,
        "sync probe: %d syncs of %d bytes at %d/s: p50=%.2fms p90=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms",
        h.getTotalCount(),
        bytes,
        rate,
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
