package org.datapact.ledger.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The ledger's file format, and the only code that knows it. Every reader and writer of the log's
 * files (the durable log, its recovery, the read-only reader, the offline verifier, the subject
 * index's positioned reads) goes through here.
 *
 * <pre>
 *   entries-NNNNNN.log   records, one after another; zeros after the last (preallocation)
 *   record               length (int32, big-endian, 1..MAX_ENTRY_BYTES) ‖ CRC-32C of the entry (int32) ‖ entry
 *   index                one int64 per entry: segment number &lt;&lt; 40 | offset of its record
 *   checkpoints.log      signed notes, framed as records
 * </pre>
 *
 * An entry is never empty, so a length of 0 ends a segment's records.
 */
public final class LogFormat {
  /** Largest entry accepted. */
  public static final int MAX_ENTRY_BYTES = 1 << 20;

  /** Bytes before an entry in its record: length and CRC-32C. */
  public static final int RECORD_HEADER = 8;

  /** The file of signed checkpoints, framed like entries. */
  public static final String CHECKPOINTS = "checkpoints.log";

  private static final long OFFSET_MASK = (1L << 40) - 1;

  private LogFormat() {}

  /**
   * @return the file of segment {@code n} in {@code dir}
   */
  public static Path segmentFile(Path dir, int n) {
    return dir.resolve(String.format("entries-%06d.log", n));
  }

  /**
   * @return bytes a record of {@code entryLength} takes
   */
  public static int recordSize(int entryLength) {
    return RECORD_HEADER + entryLength;
  }

  /**
   * @return an index slot: where a record is
   */
  static long position(int segment, long offset) {
    return ((long) segment << 40) | offset;
  }

  /**
   * @return the segment of an index slot
   */
  static int segmentOf(long position) {
    return (int) (position >>> 40);
  }

  /**
   * @return the offset within its segment of an index slot
   */
  static long offsetOf(long position) {
    return position & OFFSET_MASK;
  }

  /**
   * @return whether {@code length} can be a record's
   */
  static boolean validLength(int length) {
    return length > 0 && length <= MAX_ENTRY_BYTES;
  }

  /** Appends the record of {@code entry} to {@code out}, reusing {@code crc}. */
  static void putRecord(ByteBuffer out, byte[] entry, CRC32C crc) {
    crc.reset();
    crc.update(entry);
    out.putInt(entry.length).putInt((int) crc.getValue()).put(entry);
  }

  /**
   * @return the record of {@code entry}, ready to write
   */
  static ByteBuffer record(byte[] entry) {
    ByteBuffer b = ByteBuffer.allocate(recordSize(entry.length));
    putRecord(b, entry, new CRC32C());
    return b.flip();
  }

  /**
   * @return whether {@code entry} has the CRC {@code expected}
   */
  static boolean crcMatches(byte[] entry, int expected, CRC32C crc) {
    crc.reset();
    crc.update(entry);
    return (int) crc.getValue() == expected;
  }

  /**
   * Reads the complete, CRC-valid record at {@code offset}, or null when there is none (end of
   * file, the zeros after the last record, a torn or altered record).
   */
  public static byte @Nullable [] readRecord(FileChannel ch, long offset) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
    if (readFully(ch, header, offset) < RECORD_HEADER) {
      return null;
    }
    header.flip();
    int length = header.getInt();
    int crc = header.getInt();
    if (!validLength(length)) {
      return null; // 0: the zeros after the last record
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    if (readFully(ch, body, offset + RECORD_HEADER) < length) {
      return null;
    }
    return crcMatches(body.array(), crc, new CRC32C()) ? body.array() : null;
  }

  /**
   * Reads from {@code pos} until {@code b} is full or the file ends (positioned reads: safe beside
   * other readers and the writer of the same channel).
   *
   * @return the bytes read
   */
  public static int readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    int total = 0;
    while (b.hasRemaining()) {
      int r = ch.read(b, pos + total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }
}
