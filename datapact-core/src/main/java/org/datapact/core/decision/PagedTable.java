package org.datapact.core.decision;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An immutable map from a dense non-negative id to a value, stored in pages of 1,024 slots so that
 * {@link #with} copies one page and the page directory (about 16 KiB at a million ids) instead of
 * everything: snapshots share all other pages. This is what makes a consent change publish a new
 * snapshot in microseconds without blocking readers of the old one.
 *
 * @param <T> value type
 */
final class PagedTable<T extends @Nullable Object> {
  private static final int SHIFT = 10;
  private static final int PAGE = 1 << SHIFT;
  private static final int MASK = PAGE - 1;

  private final Object[][] pages;

  private PagedTable(Object[][] pages) {
    this.pages = pages;
  }

  static <T> PagedTable<T> empty() {
    return new PagedTable<>(new Object[0][]);
  }

  @SuppressWarnings("unchecked")
  @Nullable T get(long id) {
    int p = (int) (id >>> SHIFT);
    if (id < 0 || p >= pages.length || pages[p] == null) {
      return null;
    }
    return (T) pages[p][(int) (id & MASK)];
  }

  /**
   * @return a table equal to this one except that {@code id} maps to {@code value}
   */
  PagedTable<T> with(long id, T value) {
    int p = (int) (id >>> SHIFT);
    Object[][] dir = p < pages.length ? pages.clone() : Arrays.copyOf(pages, p + 1);
    Object[] page = dir[p] == null ? new Object[PAGE] : dir[p].clone();
    page[(int) (id & MASK)] = value;
    dir[p] = page;
    return new PagedTable<>(dir);
  }

  /** A builder that fills a table in place, for the initial load only. */
  static final class Builder<T> {
    private Object[][] pages = new Object[0][];

    void put(long id, T value) {
      int p = (int) (id >>> SHIFT);
      if (p >= pages.length) {
        pages = Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
      }
      if (pages[p] == null) {
        pages[p] = new Object[PAGE];
      }
      pages[p][(int) (id & MASK)] = value;
    }

    @SuppressWarnings("unchecked")
    @Nullable T get(long id) {
      int p = (int) (id >>> SHIFT);
      return p < pages.length && pages[p] != null ? (T) pages[p][(int) (id & MASK)] : null;
    }

    PagedTable<T> build() {
      int last = pages.length;
      while (last > 0 && pages[last - 1] == null) {
        last--;
      }
      return new PagedTable<>(Arrays.copyOf(pages, last));
    }
  }
}
