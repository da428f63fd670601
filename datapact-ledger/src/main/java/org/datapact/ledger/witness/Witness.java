package org.datapact.ledger.witness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import org.datapact.ledger.checkpoint.Checkpoint;
import org.datapact.ledger.checkpoint.Cosignatures;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.checkpoint.SigningKeys;
import org.datapact.ledger.merkle.Proofs;

/**
 * A witness of one log, run by someone other than its operator with only the log's public key: it
 * keeps the largest checkpoint it has verified ({@code state}, replaced atomically), accepts a new
 * one only if the log signed it and it extends that one (RFC 9162 consistency proof), and cosigns
 * it ({@link Cosignatures}). It refuses — and records the refusal in {@code refusals.log} — a
 * checkpoint of the same size with another root, a smaller one, or one whose proof fails (a
 * rewritten prefix). The first checkpoint is trusted on first use.
 *
 * <p>Not thread-safe: one witness process per directory.
 */
public final class Witness {
  private final Path dir;
  private final SigningKeys keys;
  private final Notes.VerifierKey log;

  private Witness(Path dir, SigningKeys keys, Notes.VerifierKey log) {
    this.dir = dir;
    this.keys = keys;
    this.log = log;
  }

  /**
   * Opens (or creates) a witness in {@code dir} with its own key {@code name}.
   *
   * @param logVerifierKey the log's C2SP verifier key
   */
  public static Witness open(Path dir, String name, String logVerifierKey) throws IOException {
    return new Witness(
        dir, SigningKeys.loadOrCreate(dir, name), Notes.parseVerifierKey(logVerifierKey));
  }

  /**
   * @return the witness's cosignature verifier key, for the log's operator and its readers
   */
  public String verifierKey() {
    return Cosignatures.verifierKey(keys.name(), keys.rawPublicKey());
  }

  /** What the witness last verified. */
  public record Seen(long size, byte[] root) {}

  /**
   * @return the largest checkpoint verified so far, if any
   */
  public java.util.Optional<Seen> seen() throws IOException {
    Path state = dir.resolve("state");
    if (!Files.exists(state)) {
      return java.util.Optional.empty();
    }
    String[] lines = Files.readString(state).split("\n");
    return java.util.Optional.of(
        new Seen(Long.parseLong(lines[0]), Base64.getDecoder().decode(lines[1])));
  }

  /** What observing a checkpoint came to. */
  public sealed interface Outcome {
    /** Verified and cosigned: the note with its cosignature line appended. */
    record Cosigned(Checkpoint checkpoint, String cosignature) implements Outcome {}

    /** Refused, and why. */
    record Refused(String reason) implements Outcome {}
  }

  /**
   * Checks {@code note} against what was seen and cosigns it.
   *
   * @param proof the consistency proof from the size {@link #seen()} to the note's (ignored on
   *     first use and for the same size)
   * @param now seconds since the epoch
   */
  public Outcome observe(String note, List<byte[]> proof, long now) throws IOException {
    Checkpoint c;
    try {
      c = Notes.verify(note, log.name(), log.rawPublicKey());
    } catch (IllegalArgumentException e) {
      return refuse("the checkpoint is not signed by the log's key: " + e.getMessage());
    }
    var seen = seen();
    if (seen.isPresent()) {
      Seen s = seen.get();
      if (c.size() < s.size()) {
        return refuse(
            "the log went back: size " + c.size() + " after " + s.size() + " was verified");
      }
      if (c.size() == s.size()) {
        if (!java.util.Arrays.equals(c.rootHash(), s.root())) {
          return refuse(
              "fork: size "
                  + c.size()
                  + " with root "
                  + b64(c.rootHash())
                  + ", but "
                  + b64(s.root())
                  + " was verified at that size");
        }
      } else if (!Proofs.verifyConsistency(s.size(), c.size(), s.root(), c.rootHash(), proof)) {
        return refuse(
            "the checkpoint of size "
                + c.size()
                + " does not extend the one of size "
                + s.size()
                + " (the consistency proof fails: the log's history was rewritten)");
      }
    }
    save(c);
    String body = Cosignatures.body(note);
    return new Outcome.Cosigned(
        c,
        Cosignatures.cosign(body, keys.name(), keys.pair().getPrivate(), keys.rawPublicKey(), now));
  }

  private void save(Checkpoint c) throws IOException {
    Path tmp = dir.resolve("state.tmp");
    Files.writeString(
        tmp,
        c.size() + "\n" + b64(c.rootHash()) + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
    Files.move(tmp, dir.resolve("state"), StandardCopyOption.ATOMIC_MOVE);
  }

  private Outcome refuse(String reason) throws IOException {
    Files.writeString(
        dir.resolve("refusals.log"),
        java.time.Instant.now() + " " + reason + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    return new Outcome.Refused(reason);
  }

  /**
   * @return the size to ask the log's consistency proof from, when one was seen
   */
  public OptionalLong proofFrom() throws IOException {
    var s = seen();
    return s.isPresent() ? OptionalLong.of(s.get().size()) : OptionalLong.empty();
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
