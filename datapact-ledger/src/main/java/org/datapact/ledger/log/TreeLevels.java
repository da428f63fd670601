package org.datapact.ledger.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.datapact.ledger.merkle.Hashes;
import org.datapact.ledger.merkle.SubtreeHashes;

/**
 * Reads the tree from its level files ({@code level-L.bin}: the hashes of the complete subtrees of
 * 2^L leaves, 32 bytes each, in order) through read-only memory mappings, so a proof's O(log n)
 * node reads are memory reads, not system calls, and never touch the entries. The {@link
 * DurableLog} writes the files and reads through this class; tools and benchmarks can open a
 * directory of level files on their own.
 *
 * <p>Thread-safe.
 */
public final class TreeLevels implements SubtreeHashes, AutoCloseable {
  /** Nodes per memory-mapped window of a level file (64 MiB). */
  private static final long WINDOW_NODES = 1L << 21;

  private final Path dir;
  private final LongSupplier size;
  private final ConcurrentHashMap<Integer, FileChannel> files = new ConcurrentHashMap<>();

  /** Read-only mappings per level and window; replaced when a file has grown. */
  private final ConcurrentHashMap<Long, MappedByteBuffer> windows = new ConcurrentHashMap<>();

  /**
   * @param size the number of leaves the files cover now (the log's integrated size)
   */
  TreeLevels(Path dir, LongSupplier size) {
    this.dir = dir;
    this.size = size;
  }

  /** Opens the level files in {@code dir} as a tree of {@code leaves} leaves, read-only. */
  public static TreeLevels open(Path dir, long leaves) throws IOException {
    if (!Files.exists(dir.resolve("level-0.bin"))
        || Files.size(dir.resolve("level-0.bin")) < leaves * 32) {
      throw new IOException("`" + dir + "` holds no tree of " + leaves + " leaves");
    }
    return new TreeLevels(dir, () -> leaves);
  }

  /**
   * @return the number of leaves
   */
  public long size() {
    return size.getAsLong();
  }

  @Override
  public byte[] hash(long start, long end) {
    long n = end - start;
    if (n <= 0 || start < 0 || end > size.getAsLong()) {
      throw new IllegalArgumentException(
          "range [" + start + ", " + end + ") is not in a tree of " + size.getAsLong());
    }
    if (Long.bitCount(n) == 1 && start % n == 0) {
      int l = Long.numberOfTrailingZeros(n);
      try {
        return node(l, start >> l);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    long k = Long.highestOneBit(n - 1);
    return Hashes.node(hash(start, start + k), hash(start + k, end));
  }

  /**
   * @return the root of the first {@code treeSize} leaves
   */
  public byte[] root(long treeSize) {
    return treeSize == 0 ? Hashes.emptyRoot() : hash(0, treeSize);
  }

  private FileChannel file(int l) throws IOException {
    FileChannel ch = files.get(l);
    if (ch == null) {
      synchronized (files) {
        ch = files.get(l);
        if (ch == null) {
          ch = FileChannel.open(dir.resolve("level-" + l + ".bin"), StandardOpenOption.READ);
          files.put(l, ch);
        }
      }
    }
    return ch;
  }

  /** Reads stored node {@code j} of level {@code l}. */
  private byte[] node(int l, long j) throws IOException {
    long window = j / WINDOW_NODES;
    long key = ((long) l << 48) | window;
    int at = (int) ((j % WINDOW_NODES) * 32);
    MappedByteBuffer map = windows.get(key);
    if (map == null || map.limit() < at + 32) {
      FileChannel ch = file(l);
      long from = window * WINDOW_NODES * 32;
      long length = Math.min(WINDOW_NODES * 32, ch.size() - from);
      if (length < at + 32) {
        throw new IOException("level " + l + " has no node " + j);
      }
      map = ch.map(FileChannel.MapMode.READ_ONLY, from, length);
      windows.put(key, map);
    }
    byte[] out = new byte[32];
    map.get(at, out);
    return out;
  }

  /** Forgets mappings and channels (after the writer truncated files in recovery). */
  void reset() throws IOException {
    windows.clear();
    for (FileChannel ch : files.values()) {
      ch.close();
    }
    files.clear();
  }

  @Override
  public void close() throws IOException {
    reset();
  }
}
