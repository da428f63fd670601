package org.datapact.ledger.subject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The ledger's key store for crypto-shredding: one random 128-bit pseudonym and one random 256-bit
 * AES key per user, created the first time the ledger records something about the user. Entries
 * name the user only by the pseudonym and seal their personal fields under the key ({@link
 * Subject#seal}); {@link #erase} overwrites both, after which nothing links those entries to the
 * user and their personal fields cannot be decrypted — while every hash, and so every proof, is
 * unchanged.
 *
 * <p>Storage: one file of 48-byte slots indexed by user id ({@code [pseudonym 16][key 32]}, all
 * zero when the user has no key), sparse on disk. Erasure writes zeros over the slot in place and
 * syncs. A new slot is held in memory until the next {@link #syncIfDirty}, which the ledger calls
 * before every group commit: it writes the slots created since (runs of consecutive users in one
 * write each) and syncs, so a slot is durable before the first log entry that uses it. Slots past
 * the end of the file are known empty without reading it (a backfill creates a million keys in user
 * order). An in-memory open-addressing table maps a pseudonym back to its user for the regulator's
 * view; it is rebuilt from the file on open.
 *
 * <p>Thread-safe.
 */
public final class SubjectKeys implements AutoCloseable {
  /** Bytes per slot. */
  static final int SLOT = 48;

  /** Largest user id the store accepts (2^32 - 1), so the sparse file stays addressable. */
  public static final long MAX_USER_ID = (1L << 32) - 1;

  private final FileChannel file;

  /**
   * Subjects read or created recently; bounded, cleared when full. Updated under the write lock.
   */
  private final java.util.concurrent.ConcurrentHashMap<Long, Subject> cache =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int CACHE_LIMIT = 1 << 18;
  private final SecureRandom random = new SecureRandom();

  /**
   * Readers of slots and the table share; creating and erasing a slot excludes them, so no read
   * sees half a slot.
   */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** Slots created and not yet written, by user id; read and changed under the lock. */
  private final java.util.TreeMap<Long, byte[]> pending = new java.util.TreeMap<>();

  /** The file's length in bytes as this store wrote it; slots at or past it are empty. */
  private long length;

  private volatile boolean dirty;

  /** pseudonym prefix (first 8 bytes, never 0) → user id. */
  private final LongTable table = new LongTable(1, 1024);

  private SubjectKeys(FileChannel file) {
    this.file = file;
  }

  /** Opens (or creates, owner-only) the key store file. */
  public static SubjectKeys open(Path path) throws IOException {
    boolean created = !Files.exists(path);
    Files.createDirectories(path.toAbsolutePath().getParent());
    FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (created) {
      try {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // INVARIANT: the key directory's permissions protect it on non-POSIX file systems
      }
    }
    SubjectKeys keys = new SubjectKeys(ch);
    keys.length = ch.size();
    keys.loadTable();
    return keys;
  }

  /**
   * A user's ledger identity: the pseudonym entries carry and the key their personal fields are
   * sealed with.
   */
  public record Subject(long userId, byte[] pseudonymBytes, byte[] key, String pseudonym) {
    /** A subject; the hex form of the pseudonym is computed once (entries name subjects often). */
    public Subject(long userId, byte[] pseudonymBytes, byte[] key) {
      this(userId, pseudonymBytes, key, HexFormat.of().formatHex(pseudonymBytes));
    }

    /**
     * @return the pseudonym as 32 hex digits
     */
    @Override
    public String pseudonym() {
      return pseudonym;
    }

    /**
     * @return {@code plaintext} encrypted and authenticated under this subject's key, bound to the
     *     pseudonym
     */
    public String seal(byte[] plaintext) {
      return Sealing.seal(key, pseudonymBytes, plaintext);
    }

    /**
     * @return the plaintext of a value {@link #seal} produced for this subject
     * @throws IllegalArgumentException if it was not sealed under this key (or was altered)
     */
    public byte[] open(String sealed) {
      return Sealing.open(key, pseudonymBytes, sealed);
    }
  }

  /**
   * @return the user's subject, created (random pseudonym and key) when the user has none — also
   *     after an erasure, when the user starts a new identity that nothing links to the old one
   */
  public Subject subject(long userId) throws IOException {
    Optional<Subject> s = find(userId);
    if (s.isPresent()) {
      return s.get();
    }
    lock.writeLock().lock();
    try {
      s = find(userId);
      if (s.isPresent()) {
        return s.get();
      }
      byte[] slot = new byte[SLOT];
      do {
        random.nextBytes(slot);
      } while (prefix(slot) == 0 || lookup(prefix(slot)) >= 0);
      pending.put(userId, slot);
      put(prefix(slot), userId);
      dirty = true;
      Subject created = toSubject(userId, slot);
      remember(created);
      return created;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * @return the user's subject, if the user has one (never created here)
   */
  public Optional<Subject> find(long userId) throws IOException {
    checkUser(userId);
    Subject cached = cache.get(userId);
    if (cached != null) {
      return Optional.of(cached);
    }
    ByteBuffer b = ByteBuffer.allocate(SLOT);
    long at = userId * SLOT;
    // INVARIANT: read and cached under the read lock, so an erasure (write lock) never races a
    // stale entry into the cache
    lock.readLock().lock();
    try {
      byte[] created = pending.get(userId);
      if (created != null) {
        Subject s = toSubject(userId, created);
        remember(s);
        return Optional.of(s);
      }
      if (at >= length) {
        return Optional.empty(); // past the end: never written
      }
      while (b.hasRemaining()) {
        if (file.read(b, at + b.position()) < 0) {
          return Optional.empty();
        }
      }
      byte[] slot = b.array();
      if (isEmpty(slot)) {
        return Optional.empty();
      }
      Subject s = toSubject(userId, slot);
      remember(s);
      return Optional.of(s);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void remember(Subject s) {
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(s.userId(), s);
  }

  /**
   * @return the user a pseudonym (32 hex digits) belongs to, unless it was erased or never existed
   */
  public OptionalLong userOf(String pseudonym) throws IOException {
    byte[] p;
    try {
      p = HexFormat.of().parseHex(pseudonym);
    } catch (IllegalArgumentException e) {
      return OptionalLong.empty();
    }
    if (p.length != 16) {
      return OptionalLong.empty();
    }
    long user;
    lock.readLock().lock();
    try {
      user = lookup(ByteBuffer.wrap(p).getLong());
    } finally {
      lock.readLock().unlock();
    }
    if (user < 0) {
      return OptionalLong.empty();
    }
    Optional<Subject> s = find(user);
    return s.isPresent() && java.util.Arrays.equals(s.get().pseudonymBytes(), p)
        ? OptionalLong.of(user)
        : OptionalLong.empty();
  }

  /**
   * Crypto-shreds a user: overwrites their pseudonym and key with zeros and syncs.
   *
   * @return the pseudonym that was erased, or empty when the user had no key
   */
  public Optional<String> erase(long userId) throws IOException {
    lock.writeLock().lock();
    try {
      Optional<Subject> s = find(userId);
      if (s.isEmpty()) {
        return Optional.empty();
      }
      cache.remove(userId);
      if (pending.remove(userId) == null) {
        writeRun(userId, new byte[SLOT]);
        file.force(false);
      }
      remove(prefix(s.get().pseudonymBytes()));
      return Optional.of(s.get().pseudonym());
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Syncs the file if a key was created since the last sync (the ledger calls this before each
   * group commit).
   */
  public void syncIfDirty() throws IOException {
    if (dirty) {
      dirty = false;
      lock.writeLock().lock();
      try {
        writePending();
      } finally {
        lock.writeLock().unlock();
      }
      file.force(false);
    }
  }

  /** Writes the slots created since the last call, each run of consecutive users in one write. */
  private void writePending() throws IOException {
    var it = pending.entrySet().iterator();
    if (!it.hasNext()) {
      return;
    }
    var first = it.next();
    long runStart = first.getKey();
    long next = runStart + 1;
    java.io.ByteArrayOutputStream run = new java.io.ByteArrayOutputStream();
    run.write(first.getValue(), 0, SLOT);
    while (it.hasNext()) {
      var e = it.next();
      if (e.getKey() != next) {
        writeRun(runStart, run.toByteArray());
        run.reset();
        runStart = e.getKey();
      }
      run.write(e.getValue(), 0, SLOT);
      next = e.getKey() + 1;
    }
    writeRun(runStart, run.toByteArray());
    pending.clear();
  }

  private void writeRun(long firstUser, byte[] slots) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(slots);
    long at = firstUser * SLOT;
    while (b.hasRemaining()) {
      file.write(b, at + b.position());
    }
    length = Math.max(length, at + slots.length);
  }

  /**
   * @return how many users have a key
   */
  public int count() {
    lock.readLock().lock();
    try {
      return table.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() throws IOException {
    syncIfDirty();
    file.close();
  }

  // ------------------------------------------------------------------ slots

  private static void checkUser(long userId) {
    if (userId <= 0 || userId > MAX_USER_ID) {
      throw new IllegalArgumentException("user id `" + userId + "` is outside 1.." + MAX_USER_ID);
    }
  }

  private static boolean isEmpty(byte[] slot) {
    for (byte x : slot) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static Subject toSubject(long userId, byte[] slot) {
    return new Subject(
        userId,
        java.util.Arrays.copyOfRange(slot, 0, 16),
        java.util.Arrays.copyOfRange(slot, 16, SLOT));
  }

  private static long prefix(byte[] pseudonymOrSlot) {
    return ByteBuffer.wrap(pseudonymOrSlot, 0, 8).getLong();
  }

  private void loadTable() throws IOException {
    long size = file.size();
    ByteBuffer chunk = ByteBuffer.allocate(SLOT * 21_845);
    for (long at = 0; at < size; at += chunk.capacity()) {
      chunk.clear();
      while (chunk.hasRemaining() && file.read(chunk, at + chunk.position()) >= 0) {
        // read the whole chunk or up to the end
      }
      chunk.flip();
      byte[] slot = new byte[SLOT];
      long user = at / SLOT;
      while (chunk.remaining() >= SLOT) {
        chunk.get(slot);
        if (!isEmpty(slot)) {
          put(prefix(slot), user);
        }
        user++;
      }
    }
  }

  private long lookup(long key) {
    return table.get(key, 0, -1);
  }

  private void put(long key, long user) {
    table.put(key, user);
  }

  private void remove(long key) {
    table.remove(key);
  }
}
