package org.datapact.ledger.subject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.datapact.ledger.log.LogFormat;

/**
 * The index from a subject to the log entries about them, newest first: a user's own view of the
 * ledger. A subject is keyed by the first 64 bits of their pseudonym ({@link #key}); a reader
 * checks the full pseudonym in each entry.
 *
 * <p>Storage: one append-only file of 24-byte records {@code [key 8][entry index 8][previous 8]},
 * where {@code previous} is the number of the same subject's record before this one (-1 for their
 * first). A subject's records thus form a chain from their newest backwards, and a page of their
 * view is a walk along it: one positioned read per record, whatever the size of the log. Records
 * are appended in the order of the log (entry indexes never decrease along the file, see {@link
 * #append}), so every chain is in descending entry order and a walk stops as soon as the page is
 * full. An in-memory open-addressing table holds each subject's newest record (their head). {@link
 * #close} writes the table to a second file with the number of records it covers; {@link #open}
 * reads it back (and deletes it) and scans only the records after it. Without it (after a crash),
 * open scans the whole file and checks every record against the table it builds: the first record
 * whose entry index goes backwards or whose {@code previous} is not its subject's head, and
 * everything after it, is cut off as a torn tail. The owner re-indexes the log from {@link
 * #indexedThrough}.
 *
 * <p>Nothing is synced on append: the index is derived from the log and rebuilt from it. Appending
 * costs a table update and 24 bytes of a file write, and leaves nothing for the garbage collector
 * (the rows of a database table, with their pages on the heap, cost far more: docs/benchmarks.md).
 * {@link #forget} overwrites a subject's records with tombstones and syncs.
 *
 * <p>Thread-safe: appends, erasures and head look-ups are serialised; reading a chain is not.
 */
public final class SubjectIndex implements AutoCloseable {
  /** Bytes per record. */
  static final int RECORD = 24;

  private static final long NONE = -1;

  /** The {@code previous} of an erased record (its key is zeroed too). */
  private static final long TOMBSTONE = -2;

  private static final long MAGIC = 0x4450534958303031L; // "DPSIX001"

  private final Path headsPath;
  private final FileChannel file;
  private final Heads heads = new Heads();

  /** Records in the file (all valid). */
  private long records;

  /** Entry index of the last record; -1 when there is none. */
  private long lastEntry = -1;

  private boolean closed;

  private SubjectIndex(Path path, FileChannel file) {
    this.headsPath = path.resolveSibling(path.getFileName() + ".heads");
    this.file = file;
  }

  /**
   * Opens (or creates) the index in {@code path}, cutting off a torn tail.
   *
   * @throws IOException when the file cannot be read or written
   */
  public static SubjectIndex open(Path path) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    SubjectIndex index = new SubjectIndex(path, ch);
    try {
      index.load();
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return index;
  }

  /**
   * @return the index key of a pseudonym (32 hex digits): its first 64 bits
   */
  public static long key(String pseudonym) {
    return Long.parseUnsignedLong(pseudonym.substring(0, 16), 16);
  }

  /**
   * @return the index key of a pseudonym's bytes: its first 64 bits
   */
  public static long key(byte[] pseudonym) {
    return ByteBuffer.wrap(pseudonym, 0, 8).getLong();
  }

  private void load() throws IOException {
    long inFile = file.size() / RECORD;
    long from = readHeads(inFile);
    Files.deleteIfExists(headsPath); // a later crash must not pair these heads with other records
    if (from > 0) {
      lastEntry = read(from - 1).entry();
    }
    records = from;
    ByteBuffer b = ByteBuffer.allocate(RECORD * 4096);
    long pos = from * RECORD;
    scan:
    while (records < inFile) {
      b.clear();
      int n = LogFormat.readFully(file, b, pos);
      b.flip();
      for (int i = 0; i + RECORD <= n; i += RECORD) {
        long key = b.getLong();
        long entry = b.getLong();
        long prev = b.getLong();
        if (entry < lastEntry || (prev != TOMBSTONE && (key == 0 || prev != heads.get(key)))) {
          break scan; // torn or reordered: the owner re-indexes from the log
        }
        if (prev != TOMBSTONE) {
          heads.put(key, records, entry);
        }
        lastEntry = entry;
        records++;
      }
      pos += n;
      if (n < b.capacity()) {
        break;
      }
    }
    if (file.size() != records * RECORD) {
      file.truncate(records * RECORD);
    }
  }

  /**
   * @return how many records the heads file covers (0 without a valid one); fills the table
   */
  private long readHeads(long inFile) throws IOException {
    if (!Files.exists(headsPath)) {
      return 0;
    }
    byte[] all = Files.readAllBytes(headsPath);
    if (all.length < 28 || (all.length - 28) % 24 != 0) {
      return 0;
    }
    ByteBuffer b = ByteBuffer.wrap(all);
    CRC32C crc = new CRC32C();
    crc.update(all, 0, all.length - 4);
    long covered = b.getLong(8);
    long count = b.getLong(16);
    if (b.getLong(0) != MAGIC
        || b.getInt(all.length - 4) != (int) crc.getValue()
        || covered > inFile
        || count != (all.length - 28) / 24) {
      return 0;
    }
    b.position(24);
    for (long i = 0; i < count; i++) {
      heads.put(b.getLong(), b.getLong(), b.getLong());
    }
    return covered;
  }

  private record Row(long key, long entry, long prev) {}

  private Row read(long record) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(RECORD);
    if (LogFormat.readFully(file, b, record * RECORD) < RECORD) {
      throw new IOException("subject index record " + record + " is past the end of the file");
    }
    return new Row(b.getLong(0), b.getLong(8), b.getLong(16));
  }

  /**
   * Appends that entries are about subjects, in the order of the log: {@code entries[i]} is about
   * {@code keys[i]}. An entry may be about several subjects (a listing); a subject named twice for
   * the same entry is kept once.
   *
   * @throws IllegalArgumentException when an entry index is below the last one appended (nothing is
   *     appended then), or a key is 0
   * @throws IOException when the file cannot be written (nothing is appended then)
   */
  public synchronized void append(long[] keys, long[] entries, int n) throws IOException {
    ensureOpen();
    long last = lastEntry;
    for (int i = 0; i < n; i++) {
      if (entries[i] < last || keys[i] == 0) {
        throw new IllegalArgumentException(
            keys[i] == 0
                ? "a subject key is never 0"
                : "entry "
                    + entries[i]
                    + " comes after entry "
                    + last
                    + ": the index follows the order of the log");
      }
      last = entries[i];
    }
    ByteBuffer b = ByteBuffer.allocate(n * RECORD);
    // each record holds its subject's previous head; the entry of that head is kept here, so a
    // failed write can put every head back as it was
    long[] replacedEntry = new long[n];
    int added = 0;
    try {
      for (int i = 0; i < n; i++) {
        long head = heads.get(keys[i]);
        long headEntry = head == NONE ? NONE : heads.entry(keys[i]);
        if (head != NONE && headEntry == entries[i]) {
          continue; // this subject already has this entry (entries never go backwards, so it is the
          // head)
        }
        b.putLong(keys[i]).putLong(entries[i]).putLong(head);
        replacedEntry[added] = headEntry;
        heads.put(keys[i], records + added, entries[i]);
        added++;
      }
      b.flip();
      for (long pos = records * RECORD; b.hasRemaining(); ) {
        pos += file.write(b, pos);
      }
    } catch (IOException | RuntimeException e) {
      for (int j = added - 1; j >= 0; j--) {
        long key = b.getLong(j * RECORD);
        long previous = b.getLong(j * RECORD + 16);
        if (previous == NONE) {
          heads.remove(key);
        } else {
          heads.put(key, previous, replacedEntry[j]);
        }
      }
      file.truncate(records * RECORD); // whatever part of the batch reached the file
      throw e;
    }
    records += added;
    if (added > 0) {
      lastEntry = last;
    }
  }

  /**
   * @return the entries about the subject, newest first, below {@code before}, at most {@code
   *     limit}
   */
  public List<Long> entries(long key, long before, int limit) throws IOException {
    long r;
    synchronized (this) {
      ensureOpen();
      r = heads.get(key);
    }
    List<Long> out = new ArrayList<>(Math.min(limit, 256));
    while (r >= 0 && out.size() < limit) {
      Row row = read(r);
      if (row.key() != key || row.prev() >= r) {
        break; // erased while we walked (tombstones), or not a chain: stop
      }
      if (row.entry() < before) {
        out.add(row.entry());
      }
      r = row.prev();
    }
    return out;
  }

  /**
   * Erases a subject from the index: their records become tombstones, durably.
   *
   * @return how many records were erased
   */
  public synchronized int forget(long key) throws IOException {
    ensureOpen();
    long r = heads.get(key);
    if (r == NONE) {
      return 0;
    }
    int n = 0;
    ByteBuffer b = ByteBuffer.allocate(RECORD);
    while (r >= 0) {
      Row row = read(r);
      if (row.key() != key) {
        break;
      }
      b.clear();
      b.putLong(0).putLong(row.entry()).putLong(TOMBSTONE).flip();
      for (long pos = r * RECORD; b.hasRemaining(); ) {
        pos += file.write(b, pos);
      }
      n++;
      r = row.prev();
    }
    heads.remove(key);
    file.force(false);
    return n;
  }

  /**
   * @return the index of the first log entry the index may not cover: the one after the last entry
   *     it holds (0 when empty)
   */
  public synchronized long indexedThrough() {
    return lastEntry + 1;
  }

  /**
   * @return how many subjects have entries in the index
   */
  public synchronized int subjects() {
    return heads.size();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the subject index is closed");
    }
  }

  /** Writes the table of heads next to the file (so the next open need not scan), then closes. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      file.force(false);
      ByteBuffer b = ByteBuffer.allocate(28 + 24 * heads.size());
      b.putLong(MAGIC).putLong(records).putLong(heads.size());
      heads.forEach((k, record, entry) -> b.putLong(k).putLong(record).putLong(entry));
      CRC32C crc = new CRC32C();
      crc.update(b.array(), 0, b.position());
      b.putInt((int) crc.getValue());
      Path tmp = headsPath.resolveSibling(headsPath.getFileName() + ".tmp");
      try (FileChannel out =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        b.flip();
        while (b.hasRemaining()) {
          out.write(b);
        }
        out.force(true);
      }
      Files.move(
          tmp, headsPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      file.close();
    }
  }

  /** Key (never 0) → the subject's newest record and that record's entry index. */
  private static final class Heads {
    private final LongTable table = new LongTable(2, 1024);

    /**
     * @return the subject's newest record, or {@link #NONE}
     */
    long get(long key) {
      return table.get(key, 0, NONE);
    }

    /**
     * @return the entry index of the subject's newest record (the subject must be present)
     */
    long entry(long key) {
      return table.get(key, 1, NONE);
    }

    void put(long key, long record, long entry) {
      table.put(key, record, entry);
    }

    void remove(long key) {
      table.remove(key);
    }

    int size() {
      return table.size();
    }

    interface Visitor {
      void visit(long key, long record, long entry);
    }

    void forEach(Visitor v) {
      table.forEach((key, slot) -> v.visit(key, table.value(slot, 0), table.value(slot, 1)));
    }
  }
}
