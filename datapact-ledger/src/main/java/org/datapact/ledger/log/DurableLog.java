package org.datapact.ledger.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.datapact.ledger.merkle.Hashes;
import org.datapact.ledger.merkle.Proofs;
import org.datapact.ledger.merkle.SubtreeHashes;
import org.jspecify.annotations.Nullable;

/**
 * An append-only, crash-safe Merkle log on local files, after Tessera's split between sequencing
 * and integration: {@link #append} queues an entry and returns a future that completes with the
 * entry's index only once the entry is durable; one sequencer thread takes everything queued,
 * writes it with one write and one {@code fdatasync} (group commit: many entries per sync), then
 * integrates the batch into the tree and completes the futures.
 *
 * <p>Layout under the directory:
 *
 * <ul>
 *   <li>{@code entries-NNNNNN.log}: segments of records {@code [length u32][crc32c u32][bytes]},
 *       rolled at {@link #SEGMENT_BYTES}; the source of truth. An entry is never empty, so a length
 *       of 0 ends the records: the segment being written is zero-filled {@link #PREALLOCATE_BYTES}
 *       ahead of them, and a closed or rolled one is cut back to its last record;
 *   <li>{@code index.bin}: each entry's segment and offset, 8 bytes per entry;
 *   <li>{@code level-L.bin}: the hashes of the complete aligned subtrees of {@code 2^L} leaves, 32
 *       bytes each (level 0: leaf hashes) — the equivalent of Tessera's tiles, so a proof or a root
 *       reads O(log n) hashes and never the log itself.
 * </ul>
 *
 * The index and level files are derived: on open, everything after the last complete record is
 * truncated (a torn tail), and the derived files are cut back or rebuilt to match the entries, so
 * after a crash every acknowledged entry is present and the tree is consistent with it.
 *
 * <p>Thread-safe: appends from any thread; reads of integrated sizes from any thread.
 *
 * <p>Why one class of about 700 lines: the sequencer, the integration into the tree and the
 * recovery share the segment, index and level files under one threading discipline (one sequencer
 * thread, readers of integrated sizes); the file format itself is {@link LogFormat}'s alone.
 */
public final class DurableLog implements SubtreeHashes, AutoCloseable {
  /** Segment size at which a new segment starts. */
  public static final long SEGMENT_BYTES = 256L << 20;

  /** Largest entry accepted. */
  public static final int MAX_ENTRY_BYTES = LogFormat.MAX_ENTRY_BYTES;

  private static final int RECORD_HEADER = LogFormat.RECORD_HEADER;
  private static final int MAX_BATCH = 8192;

  /**
   * The shortest time between the starts of two group commits while appends arrive concurrently.
   * Each sync costs the whole machine a fixed amount of CPU (the device kick and the file system's
   * journal, a fifth of a millisecond here, docs/benchmarks.md), so under load the sequencer waits
   * for more entries rather than syncing small batches back to back: until as many are queued as
   * the previous batch held, or this interval has passed since the previous sync began. A lone
   * appender (a batch of one) never waits, and N appenders that each wait for their entry are
   * synced as soon as all N have appended again. 2 ms: with 1 ms, syncs took a tenth of the
   * server's CPU under the partner load, and 4 ms was no faster (docs/benchmarks.md).
   */
  static final long MIN_SYNC_INTERVAL_NANOS = 2_000_000;

  /**
   * How far ahead of its records the segment being written is zero-filled. A sync that makes a file
   * longer also commits the file system's journal (the new size); one that only overwrites
   * allocated blocks does not: a write and {@code fdatasync} of 4 KiB cost 92–122 µs of CPU and
   * 320–340 µs of wall time here on a growing file, 52 µs and 163 µs on a zero-filled one
   * (docs/benchmarks.md). So the journal is committed once per this many bytes of records rather
   * than once per group commit. (PostgreSQL zero-fills its WAL segments for the same reason.)
   */
  static final long PREALLOCATE_BYTES = 1L << 20;

  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();

  private final Path dir;

  /** Where a segment rolls: {@link #SEGMENT_BYTES}, smaller in tests. */
  private final long segmentBytes;

  private final BlockingQueue<Pending> queue;
  private final int capacity;
  private final Thread sequencer;
  private final List<FileChannel> levels = new ArrayList<>();
  private final List<byte[]> frontier = new ArrayList<>();
  private final FileChannel index;

  /** Proof reads: the level files through memory mappings. */
  private final TreeLevels tree;

  @SuppressWarnings("NullAway.Init") // opened by openSegment(), which the constructor calls
  private FileChannel segment;

  private int segmentNumber;

  /** Where the current segment's records end. */
  private long segmentSize;

  /** The current segment file's length: zeros from {@link #segmentSize} to here. */
  private long segmentAllocated;

  private volatile long size;
  private volatile boolean closing;
  private volatile @Nullable Throwable failure;

  /** Whether {@link #close()} ran (guarded by this). */
  private boolean closed;

  /** While the sequencer lingers: the queue length at which an appender wakes it; 0 otherwise. */
  private volatile int wakeAt;

  private record Pending(
      byte[] entry, @Nullable LongConsumer onDurable, CompletableFuture<Long> done) {}

  /**
   * Runs on the sequencer thread just before each group commit's sync, with the batch's size. Tests
   * use it to stall the log (and prove that nothing is released while it stalls); in production it
   * is a no-op.
   */
  @FunctionalInterface
  public interface BeforeSync {
    /** No-op. */
    BeforeSync NONE = entries -> {};

    /**
     * @param entries entries in the batch about to be synced
     */
    void beforeSync(int entries) throws InterruptedException;
  }

  private final BeforeSync beforeSync;

  /** Told of every group commit, for metrics; never blocks. */
  @FunctionalInterface
  public interface SyncObserver {
    /** Nothing. */
    SyncObserver NONE = (entries, bytes, syncNanos) -> {};

    /**
     * @param entries entries in the batch
     * @param bytes the batch's record bytes
     * @param syncNanos how long its write and fdatasync took
     */
    void synced(int entries, int bytes, long syncNanos);
  }

  private volatile SyncObserver observer = SyncObserver.NONE;

  /**
   * Tells {@code o} of every group commit from now on (it runs on the sequencer: keep it quick).
   */
  public void observe(SyncObserver o) {
    this.observer = o;
  }

  /** Held while open: one writer per log directory, whichever process it is in. */
  private final java.nio.channels.FileLock writerLock;

  /**
   * Takes the log's writer lock ({@code writer.lock}, an OS file lock: a process killed releases
   * it). A second writer — another server, or a command that writes — would interleave appends and
   * break the tree, so it is refused.
   */
  private static java.nio.channels.FileLock lockWriter(Path dir) throws IOException {
    FileChannel ch =
        FileChannel.open(
            dir.resolve("writer.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    java.nio.channels.FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new IOException(
          "the ledger log in `"
              + dir
              + "` is open for writing by another process or another part of this one (a running"
              + " server?): one writer at a time");
    }
    return lock;
  }

  private DurableLog(Path dir, int capacity, BeforeSync beforeSync, long segmentBytes)
      throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.beforeSync = beforeSync;
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity);
    Files.createDirectories(dir);
    this.writerLock = lockWriter(dir);
    try {
      this.tree = new TreeLevels(dir, () -> size);
      this.index =
          FileChannel.open(
              dir.resolve("index.bin"),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      recover();
    } catch (IOException | RuntimeException e) {
      writerLock.channel().close(); // a log that failed to open holds no lock
      throw e;
    }
    this.sequencer = new Thread(this::sequence, "ledger-sequencer");
    this.sequencer.setDaemon(true);
    this.sequencer.start();
  }

  /**
   * Opens (or creates) the log in {@code dir}, recovering from any crash.
   *
   * @param queueCapacity how many entries may wait for the next group commit before appends are
   *     refused with {@link LedgerBusyException}
   */
  public static DurableLog open(Path dir, int queueCapacity) throws IOException {
    return new DurableLog(dir, queueCapacity, BeforeSync.NONE, SEGMENT_BYTES);
  }

  /** Opens the log with a hook that runs before every group commit's sync. */
  public static DurableLog open(Path dir, int queueCapacity, BeforeSync beforeSync)
      throws IOException {
    return new DurableLog(dir, queueCapacity, beforeSync, SEGMENT_BYTES);
  }

  /** Opens the log with segments that roll at {@code segmentBytes} (tests of the roll). */
  static DurableLog open(Path dir, int queueCapacity, long segmentBytes) throws IOException {
    return new DurableLog(dir, queueCapacity, BeforeSync.NONE, segmentBytes);
  }

  // ------------------------------------------------------------------ appending

  /**
   * Queues an entry.
   *
   * @return a future completing with the entry's index once it is durable (and in the tree)
   * @throws LedgerBusyException if the queue is full
   * @throws IllegalStateException if the log is closed or failed
   */
  public CompletableFuture<Long> append(byte[] entry) {
    return append(entry, null);
  }

  /**
   * @return why the log refuses appends (a failed write or sync, or it is closed), or empty while
   *     it accepts them
   */
  public java.util.Optional<String> refusal() {
    Throwable f = failure;
    if (f != null) {
      return java.util.Optional.of("failed: " + f.getMessage());
    }
    return closing ? java.util.Optional.of("closed") : java.util.Optional.empty();
  }

  /**
   * Queues an entry, with an action to run once it is durable. The actions of all entries run on
   * the sequencer thread in index order, each before its entry's future completes: a derived index
   * fed from them sees entries in the order of the log, whichever thread appended them. An action
   * must be quick and must not block or throw (it holds up the next group commit).
   *
   * @param onDurable given the entry's index; null for none
   * @return a future completing with the entry's index once it is durable (and in the tree)
   * @throws LedgerBusyException if the queue is full
   * @throws IllegalStateException if the log is closed or failed
   */
  public CompletableFuture<Long> append(byte[] entry, @Nullable LongConsumer onDurable) {
    if (entry.length > MAX_ENTRY_BYTES || entry.length == 0) {
      throw new IllegalArgumentException(
          "a ledger entry has from 1 to " + MAX_ENTRY_BYTES + " bytes, got " + entry.length);
    }
    if (closing || failure != null) {
      throw new IllegalStateException(
          "the ledger is " + (failure != null ? "failed: " + failure.getMessage() : "closed"));
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (!queue.offer(new Pending(entry.clone(), onDurable, done))) {
      throw new LedgerBusyException(capacity);
    }
    int w = wakeAt;
    if (w > 0 && queue.size() >= w) {
      wakeAt = 0;
      LockSupport.unpark(sequencer); // the lingering batch is as large as the last one
    }
    return done;
  }

  private void sequence() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    long lastSync = System.nanoTime() - MIN_SYNC_INTERVAL_NANOS;
    int lastBatch = 0;
    while (true) {
      try {
        Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        if (lastBatch > 1) {
          // concurrent appenders: let as many entries join this commit as joined the last, up to
          // the minimum interval; the appender that completes that number wakes us
          wakeAt = lastBatch - 1;
          for (long left;
              queue.size() < lastBatch - 1
                  && (left = lastSync + MIN_SYNC_INTERVAL_NANOS - System.nanoTime()) > 0
                  && !closing; ) {
            LockSupport.parkNanos(left);
          }
          wakeAt = 0;
        }
        lastSync = System.nanoTime();
        queue.drainTo(batch, MAX_BATCH - 1);
        long firstIndex = size;
        write(batch);
        lastBatch = batch.size();
        for (int i = 0; i < batch.size(); i++) {
          Pending p = batch.get(i);
          if (p.onDurable() != null) {
            try {
              p.onDurable().accept(firstIndex + i);
            } catch (RuntimeException e) {
              // INVARIANT: an action feeds derived data; its failure must not fail the log
              System.getLogger(DurableLog.class.getName())
                  .log(
                      System.Logger.Level.WARNING,
                      "an action after entry " + (firstIndex + i) + " failed",
                      e);
            }
          }
          p.done().complete(firstIndex + i);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        // INVARIANT: a failed write acknowledges nothing; the log refuses further appends
        failure = e;
        batch.forEach(p -> p.done().completeExceptionally(e));
        queue.forEach(p -> p.done().completeExceptionally(e));
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Pending> batch) throws IOException, InterruptedException {
    beforeSync.beforeSync(batch.size());
    int bytes = 0;
    for (Pending p : batch) {
      bytes += RECORD_HEADER + p.entry().length;
    }
    if (segment == null || (segmentSize + bytes > segmentBytes && segmentSize > 0)) {
      rollSegment();
    }
    ByteBuffer records = ByteBuffer.allocate(bytes);
    ByteBuffer offsets = ByteBuffer.allocate(8 * batch.size());
    long at = segmentSize;
    CRC32C crc = new CRC32C();
    for (Pending p : batch) {
      LogFormat.putRecord(records, p.entry(), crc);
      offsets.putLong(LogFormat.position(segmentNumber, at));
      at += RECORD_HEADER + p.entry().length;
    }
    records.flip();
    long started = System.nanoTime();
    for (long pos = segmentSize; records.hasRemaining(); ) {
      pos += segment.write(records, pos);
    }
    if (at > segmentAllocated) {
      // zeros ahead of the records, made durable (with the file's new length) by this batch's sync
      long end = Math.max(at, Math.min(segmentBytes, at + PREALLOCATE_BYTES));
      for (long pos = at; pos < end; ) {
        ByteBuffer z = ZEROS.duplicate();
        z.limit((int) Math.min(z.capacity(), end - pos));
        pos += segment.write(z, pos);
      }
      segmentAllocated = end;
    }
    segment.force(false); // the group commit: one fdatasync for the whole batch
    observer.synced(batch.size(), bytes, System.nanoTime() - started);
    segmentSize = at;
    offsets.flip();
    index.write(offsets, size * 8);
    List<byte[]> leaves = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      leaves.add(Hashes.leaf(p.entry()));
    }
    integrate(leaves);
  }

  private void rollSegment() throws IOException {
    if (segment != null) {
      // INVARIANT: only the last segment may end in zeros; recovery reads anything after a
      // segment's last record as a torn tail, and drops the segments after it
      cutBack();
      segment.close();
      segmentNumber++;
    }
    openSegment();
  }

  private void openSegment() throws IOException {
    segment =
        FileChannel.open(
            segmentPath(segmentNumber), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    segmentSize = segment.size();
    segmentAllocated = segmentSize;
  }

  /** Cuts the current segment's zeros off, durably. */
  private void cutBack() throws IOException {
    if (segmentAllocated > segmentSize) {
      segment.truncate(segmentSize);
      segment.force(true);
      segmentAllocated = segmentSize;
    }
  }

  private Path segmentPath(int n) {
    return LogFormat.segmentFile(dir, n);
  }

  // ------------------------------------------------------------------ the tree

  private FileChannel level(int l) throws IOException {
    while (levels.size() <= l) {
      levels.add(
          FileChannel.open(
              dir.resolve("level-" + levels.size() + ".bin"),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE));
      frontier.add(null);
    }
    return levels.get(l);
  }

  /**
   * Appends leaf hashes and the complete-subtree nodes they finish, then publishes the new size.
   */
  private void integrate(List<byte[]> leaves) throws IOException {
    List<ByteBuffer> out = new ArrayList<>();
    long n = size;
    for (byte[] leaf : leaves) {
      long i = n;
      byte[] h = leaf;
      int l = 0;
      while (true) {
        level(l);
        if (out.size() <= l) {
          out.add(ByteBuffer.allocate(32 * leaves.size()));
        }
        out.get(l).put(h);
        byte[] left = frontier.get(l);
        frontier.set(l, h);
        if ((i & 1) == 0) {
          break;
        }
        h = Hashes.node(left, h);
        i >>= 1;
        l++;
      }
      n++;
    }
    for (int l = 0; l < out.size(); l++) {
      ByteBuffer b = out.get(l).flip();
      FileChannel ch = levels.get(l);
      // level l holds one node per complete subtree of 2^l leaves: its length follows from the
      // size, with no fstat per level per batch (a third of a system call per partner call)
      long pos = (size >> l) * 32;
      while (b.hasRemaining()) {
        pos += ch.write(b, pos);
      }
    }
    size = n;
  }

  /**
   * @return the directory of the log's files
   */
  public Path directory() {
    return dir;
  }

  /**
   * @return the number of durable, integrated entries
   */
  public long size() {
    return size;
  }

  /**
   * @return the root of the first {@code treeSize} entries
   */
  public byte[] root(long treeSize) {
    if (treeSize < 0 || treeSize > size) {
      throw new IllegalArgumentException("no tree of size `" + treeSize + "` in a log of " + size);
    }
    return treeSize == 0 ? Hashes.emptyRoot() : hash(0, treeSize);
  }

  @Override
  public byte[] hash(long start, long end) {
    return tree.hash(start, end);
  }

  /**
   * @return the inclusion proof of entry {@code i} in the tree of {@code treeSize}
   */
  public List<byte[]> inclusionProof(long i, long treeSize) {
    checkSize(treeSize);
    return Proofs.inclusion(i, treeSize, this);
  }

  /**
   * @return the consistency proof between two tree sizes
   */
  public List<byte[]> consistencyProof(long first, long second) {
    checkSize(second);
    return Proofs.consistency(first, second, this);
  }

  private void checkSize(long treeSize) {
    if (treeSize > size) {
      throw new IllegalArgumentException("no tree of size `" + treeSize + "` in a log of " + size);
    }
  }

  /**
   * Signs a tree head. What a signed note is, and which key signs it, is the checkpoint package's
   * business: the log only appends what the signer returns.
   */
  @FunctionalInterface
  public interface TreeHeadSigner {
    /**
     * @return the signed note of the tree of {@code size} entries with root hash {@code root}
     */
    String sign(long size, byte[] root);
  }

  /**
   * Signs the current tree head with {@code signer} and appends the signed note to {@code
   * checkpoints.log}, synced.
   *
   * @return the signed note
   */
  public synchronized String checkpoint(TreeHeadSigner signer) throws IOException {
    long n = size;
    String note = signer.sign(n, root(n));
    ByteBuffer record = LogFormat.record(note.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (FileChannel ch =
        FileChannel.open(
            dir.resolve(LogFormat.CHECKPOINTS),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      while (record.hasRemaining()) {
        ch.write(record);
      }
      ch.force(false);
    }
    return note;
  }

  /**
   * @return entry {@code i} as appended
   */
  public byte[] entry(long i) throws IOException {
    if (i < 0 || i >= size) {
      throw new IllegalArgumentException("no entry `" + i + "` in a log of " + size);
    }
    ByteBuffer pos = ByteBuffer.allocate(8);
    index.read(pos, i * 8);
    long packed = pos.flip().getLong();
    try (FileChannel ch =
        FileChannel.open(segmentPath(LogFormat.segmentOf(packed)), StandardOpenOption.READ)) {
      byte[] e = LogFormat.readRecord(ch, LogFormat.offsetOf(packed));
      if (e == null) {
        throw new IOException("entry " + i + " is unreadable: its record is torn or altered");
      }
      return e;
    }
  }

  // ------------------------------------------------------------------ recovery

  /**
   * Scans the segments, truncates a torn tail, and cuts back or rebuilds the index and the level
   * files so they describe exactly the complete records.
   */
  private void recover() throws IOException {
    List<Long> offsets = new ArrayList<>();
    List<byte[]> leafHashes = new ArrayList<>();
    long known = index.size() / 8;
    // The derived files may lag the entries (a crash between the sync and their writes) or run
    // ahead of a torn index. Trust the longest prefix that the index and every level cover, then
    // rescan the segments from the record after it.
    long trusted = known;
    int topLevel = topLevel();
    for (int l = 0; l <= topLevel; l++) {
      Path file = dir.resolve("level-" + l + ".bin");
      long nodes = Files.exists(file) ? Files.size(file) / 32 : 0;
      if (nodes < (trusted >> l)) {
        trusted = nodes << l;
      }
    }
    int seg = 0;
    long segOffset = 0;
    if (trusted > 0) {
      ByteBuffer last = ByteBuffer.allocate(8);
      LogFormat.readFully(index, last, (trusted - 1) * 8);
      long packed = last.flip().getLong();
      int lastSeg = LogFormat.segmentOf(packed);
      long lastOff = LogFormat.offsetOf(packed);
      byte[] e = null;
      if (Files.exists(segmentPath(lastSeg))) {
        try (FileChannel ch = FileChannel.open(segmentPath(lastSeg), StandardOpenOption.READ)) {
          e = LogFormat.readRecord(ch, lastOff);
        }
      }
      if (e == null) {
        trusted = 0; // the index does not match the entries: rebuild everything from the segments
      } else {
        seg = lastSeg;
        segOffset = lastOff + RECORD_HEADER + e.length;
      }
    }
    // scan forward from (seg, segOffset)
    while (Files.exists(segmentPath(seg))) {
      try (FileChannel ch =
          FileChannel.open(segmentPath(seg), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long at = segOffset;
        while (true) {
          byte[] e = LogFormat.readRecord(ch, at);
          if (e == null) {
            break;
          }
          offsets.add(LogFormat.position(seg, at));
          leafHashes.add(Hashes.leaf(e));
          at += RECORD_HEADER + e.length;
        }
        if (at < ch.size()) {
          ch.truncate(at); // a torn tail, never acknowledged, or the zeros ahead of the records
          ch.force(true);
          for (int later = seg + 1; Files.exists(segmentPath(later)); later++) {
            Files.delete(segmentPath(later));
          }
        }
      }
      if (!Files.exists(segmentPath(seg + 1))) {
        break;
      }
      seg++;
      segOffset = 0;
    }
    segmentNumber = seg;
    // the index: keep the trusted prefix, append the rescanned entries
    index.truncate(trusted * 8);
    ByteBuffer idx = ByteBuffer.allocate(8 * offsets.size());
    offsets.forEach(idx::putLong);
    idx.flip();
    index.write(idx, trusted * 8);
    // the levels: cut each back to what the trusted prefix implies, then integrate the rest
    for (int l = 0; l <= topLevel; l++) {
      FileChannel ch = level(l);
      ch.truncate((trusted >> l) * 32);
    }
    size = trusted;
    rebuildFrontier();
    if (!leafHashes.isEmpty()) {
      integrate(leafHashes);
    }
    index.force(true);
    for (FileChannel ch : levels) {
      ch.force(true);
    }
    if (Files.exists(segmentPath(segmentNumber))) {
      openSegment();
    }
  }

  /**
   * @return the highest level with a file, or -1 when there is none
   */
  private int topLevel() throws IOException {
    int top = -1;
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.matches("level-\\d+\\.bin")) {
          top = Math.max(top, Integer.parseInt(name.substring(6, name.length() - 4)));
        }
      }
    }
    return top;
  }

  /** Reloads the right edge of every level: the last node, which the next append may pair with. */
  private void rebuildFrontier() throws IOException {
    for (int l = 0; l < levels.size(); l++) {
      long nodes = size >> l;
      if (nodes == 0) {
        frontier.set(l, null);
        continue;
      }
      ByteBuffer b = ByteBuffer.allocate(32);
      LogFormat.readFully(levels.get(l), b, (nodes - 1) * 32);
      frontier.set(l, b.array());
    }
  }

  /** Drains the queue, syncs the derived files and closes; a second call does nothing. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    try {
      sequencer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    index.force(true);
    index.close();
    tree.close();
    for (FileChannel ch : levels) {
      ch.force(true);
      ch.close();
    }
    if (segment != null) {
      if (failure == null && !sequencer.isAlive()) {
        cutBack();
      }
      segment.close();
    }
    writerLock.channel().close(); // releases the lock
  }
}
