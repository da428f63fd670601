package org.datapact.ledger.checkpoint;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A tree head: the log's origin, its size and root hash, and when it was taken. Its text is the
 * body of a C2SP {@code tlog-checkpoint}: the origin line, the size in decimal, the root hash in
 * standard base64, then the timestamp as an extension line.
 *
 * @param origin the log's identity, e.g. {@code datapact.example/ledger/node-1}
 * @param size number of leaves
 * @param rootHash the RFC 9162 root of those leaves, 32 bytes
 * @param timestamp when the head was taken (millisecond precision)
 */
public record Checkpoint(String origin, long size, byte[] rootHash, Instant timestamp) {
  /** Validates and copies. */
  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(timestamp, "timestamp");
    if (origin.isBlank() || origin.contains("\n") || !origin.equals(origin.strip())) {
      throw new IllegalArgumentException(
          "checkpoint origin `" + origin + "` must be one non-blank line");
    }
    if (size < 0) {
      throw new IllegalArgumentException("checkpoint size must not be negative");
    }
    if (rootHash == null || rootHash.length != 32) {
      throw new IllegalArgumentException("checkpoint root hash must have 32 bytes");
    }
    rootHash = rootHash.clone();
    timestamp = Instant.ofEpochMilli(timestamp.toEpochMilli());
  }

  /**
   * @return a copy of the root hash
   */
  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /**
   * @return the note body that is signed: three checkpoint lines and the timestamp extension
   */
  public String body() {
    return origin
        + "\n"
        + size
        + "\n"
        + Base64.getEncoder().encodeToString(rootHash)
        + "\n"
        + "timestamp "
        + timestamp.toEpochMilli()
        + "\n";
  }

  /**
   * @return the body's bytes
   */
  byte[] bodyBytes() {
    return body().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c
        && c.origin.equals(origin)
        && c.size == size
        && Arrays.equals(c.rootHash, rootHash)
        && c.timestamp.equals(timestamp);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size, Arrays.hashCode(rootHash), timestamp);
  }

  @Override
  public String toString() {
    return "Checkpoint["
        + origin
        + ", size="
        + size
        + ", root="
        + Base64.getEncoder().encodeToString(rootHash)
        + ", at="
        + timestamp
        + "]";
  }
}
