package org.datapact.ledger.subject;

/**
 * The subject package's one hash table: a {@code long} key (never 0) → a fixed number of {@code
 * long} columns, in flat arrays (no boxing, no object per entry: a million subjects cost 24 or 32
 * MB, not a hundred). Open addressing with linear probing, backward-shift removal, and doubling at
 * half full. Used for the subject index's heads (key → newest record, its entry) and the key
 * store's lookup (pseudonym prefix → user).
 *
 * <p>Not thread-safe: its owners guard it.
 */
final class LongTable {
  private final int width;
  private long[] keys;
  private long[] values;
  private int size;

  /**
   * @param width the columns per key
   * @param capacity the initial number of slots, a power of two
   */
  LongTable(int width, int capacity) {
    if (Integer.bitCount(capacity) != 1 || width < 1) {
      throw new IllegalArgumentException("capacity must be a power of two, width positive");
    }
    this.width = width;
    this.keys = new long[capacity];
    this.values = new long[capacity * width];
  }

  /**
   * @return the slot holding {@code key}, or -1 (always for 0, which is never a key)
   */
  int find(long key) {
    if (key == 0) {
      return -1;
    }
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return i;
      }
      if (keys[i] == 0) {
        return -1;
      }
    }
  }

  /**
   * @return column {@code column} of {@code key}, or {@code absent} when the key is not there
   */
  long get(long key, int column, long absent) {
    int i = find(key);
    return i < 0 ? absent : values[i * width + column];
  }

  /**
   * @return column {@code column} of the key at {@code slot} (from {@link #find})
   */
  long value(int slot, int column) {
    return values[slot * width + column];
  }

  /** Sets a one-column key. */
  void put(long key, long v0) {
    int at = reserve(key) * width; // before reading `values`: reserving may grow the table
    values[at] = v0;
  }

  /** Sets a two-column key. */
  void put(long key, long v0, long v1) {
    int at = reserve(key) * width;
    values[at] = v0;
    values[at + 1] = v1;
  }

  /**
   * @return the slot of {@code key}, added if absent (the table grown first if half full)
   */
  private int reserve(long key) {
    if (key == 0) {
      throw new IllegalArgumentException("a key is never 0");
    }
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (keys[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (keys[i] == 0) {
      keys[i] = key;
      size++;
    }
    return i;
  }

  /**
   * Removes {@code key} if present, shifting back the keys after it whose probe passed through it.
   */
  void remove(long key) {
    int i = find(key);
    if (i < 0) {
      return;
    }
    int mask = keys.length - 1;
    size--;
    for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j];
        System.arraycopy(values, j * width, values, i * width, width);
        i = j;
      }
    }
    keys[i] = 0;
  }

  /**
   * @return the number of keys
   */
  int size() {
    return size;
  }

  /** Sees one key and the slot of its columns. */
  @FunctionalInterface
  interface Visitor {
    void visit(long key, int slot);
  }

  /** Visits every key, in no particular order. */
  void forEach(Visitor v) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0) {
        v.visit(keys[i], i);
      }
    }
  }

  private void grow() {
    long[] k = keys;
    long[] vals = values;
    keys = new long[k.length * 2];
    values = new long[k.length * 2 * width];
    size = 0;
    for (int i = 0; i < k.length; i++) {
      if (k[i] != 0) {
        int at = reserve(k[i]) * width;
        System.arraycopy(vals, i * width, values, at, width);
      }
    }
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
