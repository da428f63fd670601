package org.datapact.core.decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.datapact.core.agreement.Filing;

/**
 * The reports filed so far, as the decision point knows them: a report duty whose period has no
 * filing past its due date and grace suspends the permissions it gates. Immutable; {@link #with}
 * copies (filings are a few per partner and month, so a copy is cheap next to recompiling the
 * agreements it triggers).
 */
final class Filings {
  static final Filings NONE = new Filings(Set.of());

  private final Set<String> filed;

  /** {@link #digest}, computed once: every consent change builds a snapshot that names it. */
  private final byte @org.jspecify.annotations.Nullable [] digest;

  private Filings(Set<String> filed) {
    this.filed = filed;
    this.digest = computeDigest(filed);
  }

  static Filings of(Iterable<Filing> filings) {
    Set<String> s = new HashSet<>();
    filings.forEach(f -> s.add(f.canonical()));
    return new Filings(Set.copyOf(s));
  }

  Filings with(Filing f) {
    if (filed.contains(f.canonical())) {
      return this;
    }
    Set<String> s = new HashSet<>(filed);
    s.add(f.canonical());
    return new Filings(Set.copyOf(s));
  }

  boolean contains(Filing f) {
    return filed.contains(f.canonical());
  }

  int size() {
    return filed.size();
  }

  /**
   * @return SHA-256 of the sorted filing lines, or null when there is none (so that a history
   *     without filings keeps the policy hash it had before filings counted)
   */
  byte @org.jspecify.annotations.Nullable [] digest() {
    return digest;
  }

  private static byte @org.jspecify.annotations.Nullable [] computeDigest(Set<String> filed) {
    if (filed.isEmpty()) {
      return null;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String line : new TreeSet<>(filed)) {
        sha.update(line.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return sha.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }
}
