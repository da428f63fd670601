package org.datapact.core.decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.consent.ConsentChange;
import org.jspecify.annotations.Nullable;

/**
 * The policy hash, and every step of it: the one place that defines what names a snapshot.
 *
 * <pre>
 *   agreements = SHA-256(canonical(r1) ‖ canonical(r2) ‖ …)   records by agreement id, version descending
 *   consent₀   = 32 zero bytes
 *   consentₙ₊₁ = SHA-256(consentₙ ‖ canonical(changeₙ₊₁) ‖ '\n')
 *   filings    = SHA-256(sorted filing lines, each ‖ '\n')    only when some report was filed
 *   policyHash = hex(SHA-256(agreements ‖ consent [‖ filings]))
 * </pre>
 *
 * The builder and the incremental update both step the consent chain with {@link #chain}, so the
 * same history gives the same hash however it was applied, and after a restart.
 */
final class PolicyHash {
  /** The consent chain before any change. */
  static final byte[] EMPTY_CONSENT = new byte[32];

  private PolicyHash() {}

  /**
   * @return {@code SHA-256(previous ‖ canonical(change) ‖ '\n')}
   */
  static byte[] chain(byte[] previous, ConsentChange change) {
    MessageDigest sha = sha256();
    sha.update(previous);
    sha.update(change.canonical().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
    return sha.digest();
  }

  /**
   * @return the digest of agreement records, in the order given (the compiled, sorted order)
   */
  static byte[] agreements(List<AgreementRecord> sortedRecords) {
    MessageDigest sha = sha256();
    for (AgreementRecord r : sortedRecords) {
      sha.update(Canonical.agreement(r).getBytes(StandardCharsets.UTF_8));
    }
    return sha.digest();
  }

  /**
   * @return the hex policy hash of the digests; {@code filings} null when none was filed
   */
  static String of(byte[] agreements, byte[] consent, byte @Nullable [] filings) {
    MessageDigest sha = sha256();
    sha.update(agreements);
    sha.update(consent);
    if (filings != null) {
      sha.update(filings);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }
}
