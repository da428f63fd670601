package org.datapact.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.datapact.core.world.ProgressListener;

/**
 * Shows progress of long work: a redrawn bar on a terminal, or a plain line every few seconds (and
 * at the end of each phase) when output goes to a file or a pipe.
 */
final class Progress implements ProgressListener {
  private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

  private final PrintWriter out;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private long lastPrint = System.nanoTime();
  private String lastDonePhase = "";

  Progress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void progress(String phase, long done, long total) {
    long now = System.nanoTime();
    boolean phaseDone = done >= total;
    if (phaseDone && phase.equals(lastDonePhase)) {
      return; // a phase may report completion more than once; show it once
    }
    double seconds = (now - start) / 1e9;
    if (terminal) {
      int width = 30;
      int filled = total == 0 ? width : (int) (width * done / total);
      out.printf(
          Locale.ROOT,
          "\r%-12s [%s%s] %,d/%,d  %.1fs",
          phase,
          "#".repeat(filled),
          " ".repeat(width - filled),
          done,
          total,
          seconds);
      if (phaseDone) {
        out.println();
      }
      out.flush();
    } else if (phaseDone || now - lastPrint >= PLAIN_INTERVAL_NANOS) {
      out.printf(
          Locale.ROOT,
          "%s: %,d/%,d (%.0f%%) after %.1fs%n",
          phase,
          done,
          total,
          total == 0 ? 100.0 : 100.0 * done / total,
          seconds);
      out.flush();
      lastPrint = now;
    }
    if (phaseDone) {
      lastDonePhase = phase;
    }
  }
}
