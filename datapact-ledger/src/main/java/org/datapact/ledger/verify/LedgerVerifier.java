package org.datapact.ledger.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.datapact.ledger.checkpoint.Checkpoint;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.log.LogFormat;
import org.datapact.ledger.merkle.Hashes;
import org.datapact.ledger.merkle.MemoryTree;
import org.datapact.ledger.merkle.Proofs;

/**
 * Verifies a ledger directory offline, with nothing but the files and the log's public key: it
 * rebuilds the tree from the entries, checks every checkpoint's signature, that each checkpoint's
 * root is the root of the entries it covers, that successive checkpoints are consistent (RFC 9162
 * consistency proofs), and that the derived index and level files agree with the entries. It names
 * the first bad entry index it can prove.
 */
public final class LedgerVerifier {
  private LedgerVerifier() {}

  /**
   * The outcome.
   *
   * @param ok whether everything verified
   * @param entries complete entries found
   * @param checkpoints signed checkpoints found
   * @param firstBadIndex the first entry index shown to be wrong, or -1
   * @param message one line for people
   */
  public record Result(
      boolean ok, long entries, int checkpoints, long firstBadIndex, String message) {}

  private static Result fail(long entries, int checkpoints, long index, String why) {
    return new Result(
        false,
        entries,
        checkpoints,
        index,
        "ledger FAILED" + (index >= 0 ? " at index " + index : "") + ": " + why);
  }

  /** Verifies {@code dir} against the named Ed25519 key. */
  public static Result verify(Path dir, String keyName, byte[] publicKey) throws IOException {
    // INVARIANT: nothing to check is a failure, never "ok: 0 entries"
    if (!Files.isRegularFile(LogFormat.segmentFile(dir, 0))) {
      return fail(
          0,
          0,
          -1,
          "no ledger in `"
              + dir
              + "`: `"
              + LogFormat.segmentFile(dir, 0).getFileName()
              + "` is missing");
    }
    // 1. the entries, in order, with where each record starts
    MemoryTree tree = new MemoryTree();
    List<Long> offsets = new ArrayList<>();
    for (int seg = 0; Files.exists(LogFormat.segmentFile(dir, seg)); seg++) {
      try (FileChannel ch =
          FileChannel.open(LogFormat.segmentFile(dir, seg), StandardOpenOption.READ)) {
        long at = 0;
        while (at < ch.size()) {
          byte[] e = LogFormat.readRecord(ch, at);
          if (e == null) {
            break; // a torn or altered record ends the entries; checkpoints decide whether that is
            // loss
          }
          offsets.add(((long) seg << 40) | at);
          tree.append(Hashes.leaf(e));
          at += LogFormat.recordSize(e.length);
        }
        if (at < ch.size() && Files.exists(LogFormat.segmentFile(dir, seg + 1))) {
          return fail(
              tree.size(),
              0,
              tree.size(),
              "segment " + seg + " holds an unreadable record before later segments");
        }
      }
    }
    long n = tree.size();
    // 2. the derived files must agree with the entries wherever they exist
    long badDerived = firstBadDerived(dir, tree, offsets);
    // 3. the checkpoints
    List<Checkpoint> checkpoints = new ArrayList<>();
    Path cpFile = dir.resolve(LogFormat.CHECKPOINTS);
    if (Files.exists(cpFile)) {
      try (FileChannel ch = FileChannel.open(cpFile, StandardOpenOption.READ)) {
        long at = 0;
        while (at < ch.size()) {
          byte[] note = LogFormat.readRecord(ch, at);
          if (note == null) {
            return fail(
                n,
                checkpoints.size(),
                -1,
                "checkpoint " + checkpoints.size() + " is unreadable (altered or torn)");
          }
          try {
            checkpoints.add(
                Notes.verify(new String(note, StandardCharsets.UTF_8), keyName, publicKey));
          } catch (IllegalArgumentException e) {
            return fail(
                n,
                checkpoints.size(),
                -1,
                "checkpoint " + checkpoints.size() + ": " + e.getMessage());
          }
          at += LogFormat.recordSize(note.length);
        }
      }
    }
    Checkpoint previous = null;
    for (int k = 0; k < checkpoints.size(); k++) {
      Checkpoint c = checkpoints.get(k);
      long from = previous == null ? 0 : previous.size();
      if (previous != null
          && (c.size() < previous.size() || c.timestamp().isBefore(previous.timestamp()))) {
        return fail(n, checkpoints.size(), -1, "checkpoint " + k + " goes back in size or time");
      }
      if (c.size() > n) {
        return fail(
            n,
            checkpoints.size(),
            n,
            "checkpoint "
                + k
                + " covers "
                + c.size()
                + " entries, only "
                + n
                + " are present (entries deleted or truncated)");
      }
      if (!Arrays.equals(tree.root(c.size()), c.rootHash())) {
        long index = badDerived >= 0 && badDerived < c.size() ? badDerived : from;
        return fail(
            n,
            checkpoints.size(),
            index,
            "the entries do not hash to checkpoint "
                + k
                + "'s signed root (size "
                + c.size()
                + "); the first difference is at or after index "
                + from);
      }
      if (previous != null
          && !Proofs.verifyConsistency(
              previous.size(),
              c.size(),
              previous.rootHash(),
              c.rootHash(),
              Proofs.consistency(previous.size(), c.size(), tree))) {
        return fail(
            n,
            checkpoints.size(),
            from,
            "checkpoint " + k + " is not consistent with checkpoint " + (k - 1));
      }
      previous = c;
    }
    if (badDerived >= 0) {
      return fail(
          n,
          checkpoints.size(),
          badDerived,
          "the stored index or tree levels disagree with the entries");
    }
    if (n == 0) {
      // INVARIANT: nothing to check is a failure, never "ok: 0 entries"
      return fail(0, checkpoints.size(), -1, "the log in `" + dir + "` holds no entries");
    }
    String head =
        previous == null
            ? "no checkpoint yet"
            : "latest checkpoint size "
                + previous.size()
                + " root "
                + Base64.getEncoder().encodeToString(previous.rootHash());
    return new Result(
        true,
        n,
        checkpoints.size(),
        -1,
        "ledger ok: "
            + n
            + " entries, "
            + checkpoints.size()
            + " signed checkpoints verified and consistent, "
            + head);
  }

  /**
   * @return the first entry index whose index record or leaf hash disagrees with the entries
   *     (exact); failing those, the first leaf under the first disagreeing higher-level node (a
   *     lower bound); or -1 when everything agrees
   */
  private static long firstBadDerived(Path dir, MemoryTree tree, List<Long> offsets)
      throws IOException {
    long first = -1;
    long higher = -1;
    Path index = dir.resolve("index.bin");
    if (Files.exists(index)) {
      try (FileChannel ch = FileChannel.open(index, StandardOpenOption.READ)) {
        long stored = ch.size() / 8;
        if (stored > offsets.size()) {
          first = offsets.size();
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(stored, offsets.size()) * 8);
        ch.read(b, 0);
        b.flip();
        for (int i = 0; b.remaining() >= 8; i++) {
          if (b.getLong() != offsets.get(i)) {
            first = min(first, i);
            break;
          }
        }
        if (ch.size() % 8 != 0) {
          first = min(first, stored);
        }
      }
    }
    for (int l = 0; Files.exists(dir.resolve("level-" + l + ".bin")); l++) {
      try (FileChannel ch =
          FileChannel.open(dir.resolve("level-" + l + ".bin"), StandardOpenOption.READ)) {
        long expected = tree.size() >> l;
        long stored = ch.size() / 32;
        long bad = -1;
        if (stored > expected || ch.size() % 32 != 0) {
          bad = Math.min(stored, expected) << l;
        }
        ByteBuffer b = ByteBuffer.allocate(32);
        for (long j = 0; j < Math.min(stored, expected); j++) {
          b.clear();
          ch.read(b, j * 32);
          if (!Arrays.equals(b.array(), tree.hash(j << l, (j + 1) << l))) {
            bad = min(bad, j << l);
            break;
          }
        }
        if (bad >= 0) {
          if (l == 0) {
            first = min(first, bad);
          } else {
            higher = min(higher, bad);
          }
        }
      }
    }
    return first >= 0 ? first : higher;
  }

  private static long min(long current, long candidate) {
    return current < 0 ? candidate : Math.min(current, candidate);
  }
}
