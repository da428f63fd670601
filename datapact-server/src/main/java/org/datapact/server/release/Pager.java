package org.datapact.server.release;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.datapact.core.DataPactException;

/**
 * The one pager of lists that the decision point filters (a user's friends, a partner's
 * connections): it reads candidates after a cursor in batches, keeps those the filter keeps, and
 * ends a page at its limit, at a filter's {@link Verdict#STOP} (a rate limit run dry), or after a
 * bounded number of batches (so a page of mostly refused users cannot scan the whole table).
 *
 * <p>The next page starts after the last candidate the page <em>decided</em> — kept or skipped,
 * never one it stopped at — so no one is listed twice and no one is lost.
 */
public final class Pager {
  /** Most batches one page reads. */
  static final int MAX_BATCHES = 8;

  private Pager() {}

  /** What the filter says of a candidate. */
  public enum Verdict {
    /** List it. */
    KEEP,
    /** Leave it out (the decision point refuses it); the page goes on. */
    SKIP,
    /** End the page before it; the next page starts at it. */
    STOP
  }

  /** Reads a batch of candidates whose keys are greater than {@code after}, in key order. */
  @FunctionalInterface
  public interface Batch<T> {
    List<T> after(long after, int count) throws DataPactException;
  }

  /** Judges one candidate. */
  @FunctionalInterface
  public interface Filter<T> {
    Verdict judge(T candidate) throws DataPactException;
  }

  /**
   * One page.
   *
   * @param items what it lists
   * @param skipped how many candidates the filter left out
   * @param last the key of the last candidate decided (the next page's cursor)
   * @param more whether a next page may hold more
   * @param stopped whether a filter's {@link Verdict#STOP} ended it
   */
  public record Page<T>(List<T> items, int skipped, long last, boolean more, boolean stopped) {
    /**
     * @return whether a next page should be offered: more to read, past where this one began
     */
    public boolean hasNext(long after) {
      return more && last > after;
    }
  }

  /**
   * @return the page of at most {@code limit} items after {@code after}
   */
  public static <T> Page<T> page(
      long after, int limit, Batch<T> batch, ToLongFunction<T> key, Filter<T> filter)
      throws DataPactException {
    List<T> items = new ArrayList<>();
    int skipped = 0;
    long last = after;
    boolean more = true;
    for (int round = 0; round < MAX_BATCHES && items.size() < limit && more; round++) {
      List<T> candidates = batch.after(last, limit * 2);
      more = candidates.size() == limit * 2;
      for (int i = 0; i < candidates.size(); i++) {
        T c = candidates.get(i);
        Verdict v = filter.judge(c);
        if (v == Verdict.STOP) {
          return new Page<>(items, skipped, last, true, true);
        }
        last = key.applyAsLong(c);
        if (v == Verdict.SKIP) {
          skipped++;
          continue;
        }
        items.add(c);
        if (items.size() == limit) {
          more = more || i < candidates.size() - 1;
          break;
        }
      }
    }
    return new Page<>(items, skipped, last, more, false);
  }
}
