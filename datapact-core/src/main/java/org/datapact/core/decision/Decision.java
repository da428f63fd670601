package org.datapact.core.decision;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The decision point's answer: an effect with the reasons that decided it, the obligations of an
 * allow, the hash of the policy snapshot it was made under, and the agreement version that allowed
 * it (null for a deny).
 *
 * @param effect allow or deny
 * @param reasons why; never empty
 * @param obligations what an allow requires of the enforcement point; empty for a deny
 * @param policyHash hex SHA-256 identifying the snapshot (agreements + consent history)
 * @param agreementVersion {@code agreement@version} of the allowing version, or null
 * @param policyPosition the snapshot's {@link PolicySnapshot#position() position}: where the policy
 *     it was made under ends in the log that records policy changes; -1 when unknown
 */
public record Decision(
    Effect effect,
    List<Reason> reasons,
    List<Obligation> obligations,
    String policyHash,
    @Nullable String agreementVersion,
    long policyPosition) {
  /** A decision made under a snapshot of unknown position. */
  public Decision(
      Effect effect,
      List<Reason> reasons,
      List<Obligation> obligations,
      String policyHash,
      @Nullable String agreementVersion) {
    this(effect, reasons, obligations, policyHash, agreementVersion, -1);
  }

  /** Validates and copies. */
  public Decision {
    Objects.requireNonNull(effect, "effect");
    reasons = List.copyOf(reasons);
    obligations = List.copyOf(obligations);
    Objects.requireNonNull(policyHash, "policyHash");
    if (reasons.isEmpty()) {
      throw new IllegalArgumentException("a decision carries at least one reason");
    }
  }

  /**
   * @return whether the effect is allow
   */
  public boolean allowed() {
    return effect == Effect.ALLOW;
  }

  /**
   * @return the allow's obligation of this type, if it carries one
   */
  public <T extends Obligation> Optional<T> obligation(Class<T> type) {
    for (Obligation o : obligations) {
      if (type.isInstance(o)) {
        return Optional.of(type.cast(o));
      }
    }
    return Optional.empty();
  }

  /**
   * @return whether any reason has this code
   */
  public boolean hasReason(ReasonCode code) {
    for (Reason r : reasons) {
      if (r.code() == code) {
        return true;
      }
    }
    return false;
  }
}
