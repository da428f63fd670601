package org.datapact.ledger.log;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads a log directory without writing to it — safe beside a running server, which only appends.
 * Its size is what {@code index.bin} covers when it is opened; every record read is checked against
 * its CRC. Tools (replay) use it; {@link DurableLog} is the writer.
 */
public final class LogReader implements AutoCloseable {
  private final Path dir;
  private final FileChannel index;
  private final long size;

  private LogReader(Path dir) throws IOException {
    this.dir = dir;
    this.index = FileChannel.open(dir.resolve("index.bin"), StandardOpenOption.READ);
    this.size = index.size() / 8;
  }

  /** Opens the log in {@code dir} for reading. */
  public static LogReader open(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve("index.bin"))) {
      throw new IOException("`" + dir + "` holds no ledger log (no index.bin)");
    }
    return new LogReader(dir);
  }

  /**
   * @return the number of entries the index covered when opened
   */
  public long size() {
    return size;
  }

  /**
   * @return entry {@code i}
   */
  public byte[] entry(long i) throws IOException {
    if (i < 0 || i >= size) {
      throw new IllegalArgumentException("no entry `" + i + "` in a log of " + size);
    }
    ByteBuffer pos = ByteBuffer.allocate(8);
    while (pos.hasRemaining() && index.read(pos, i * 8 + pos.position()) >= 0) {
      // read the 8 bytes
    }
    long packed = pos.flip().getLong();
    try (FileChannel ch =
        FileChannel.open(
            LogFormat.segmentFile(dir, LogFormat.segmentOf(packed)), StandardOpenOption.READ)) {
      byte[] e = LogFormat.readRecord(ch, LogFormat.offsetOf(packed));
      if (e == null) {
        throw new IOException("entry " + i + " is torn or altered (CRC mismatch)");
      }
      return e;
    }
  }

  /** Receives entries in order. */
  @FunctionalInterface
  public interface EntryConsumer {
    /**
     * @param index the entry's index; @param entry its bytes
     */
    void accept(long index, byte[] entry) throws IOException;
  }

  /** Streams entries {@code [0, end)} in order, reading the segments sequentially. */
  public void forEach(long end, EntryConsumer sink) throws IOException {
    forEach(0, end, sink);
  }

  /** Streams entries {@code [from, end)} in order, reading the segments sequentially. */
  public void forEach(long from, long end, EntryConsumer sink) throws IOException {
    if (from >= end) {
      return;
    }
    long i = from;
    int firstSegment = 0;
    long firstOffset = 0;
    if (from > 0) {
      ByteBuffer pos = ByteBuffer.allocate(8);
      while (pos.hasRemaining() && index.read(pos, from * 8 + pos.position()) >= 0) {
        // read the 8 bytes
      }
      long packed = pos.flip().getLong();
      firstSegment = LogFormat.segmentOf(packed);
      firstOffset = LogFormat.offsetOf(packed);
    }
    CRC32C crc = new CRC32C();
    for (int seg = firstSegment; i < end && Files.exists(LogFormat.segmentFile(dir, seg)); seg++) {
      try (InputStream raw = Files.newInputStream(LogFormat.segmentFile(dir, seg));
          DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
        if (seg == firstSegment) {
          in.skipNBytes(firstOffset);
        }
        while (i < end) {
          int length;
          try {
            length = in.readInt();
          } catch (EOFException endOfSegment) {
            break;
          }
          int expected = in.readInt();
          if (!LogFormat.validLength(length)) {
            throw new IOException("entry " + i + " has an impossible length " + length);
          }
          byte[] e = in.readNBytes(length);
          if (e.length != length || !LogFormat.crcMatches(e, expected, crc)) {
            throw new IOException("entry " + i + " is torn or altered (CRC mismatch)");
          }
          sink.accept(i++, e);
        }
      }
    }
    if (i < end) {
      throw new IOException("the segments hold " + i + " entries, fewer than " + end);
    }
  }

  @Override
  public void close() throws IOException {
    index.close();
  }
}
