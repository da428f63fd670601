package org.datapact.core.world;

/** Receives progress of long work; implementations decide how to show it. */
@FunctionalInterface
public interface ProgressListener {
  /** Ignores progress. */
  ProgressListener NONE = (phase, done, total) -> {};

  /**
   * @param phase what is being done, e.g. {@code users}
   * @param done units finished so far
   * @param total units in the phase
   */
  void progress(String phase, long done, long total);
}
