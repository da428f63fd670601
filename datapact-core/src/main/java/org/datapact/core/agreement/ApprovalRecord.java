package org.datapact.core.agreement;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An approval of an agreement version, or a recusal (an approval refused for a declared interest),
 * as history holds it.
 *
 * @param approver the principal, e.g. {@code operator:olga}
 * @param recused whether the approval was refused for a declared interest
 * @param reason why it was refused, or null for an approval
 */
public record ApprovalRecord(
    String agreementId,
    int version,
    String approver,
    Instant at,
    boolean recused,
    @Nullable String reason) {
  /** Validates. */
  public ApprovalRecord {
    Objects.requireNonNull(agreementId, "agreementId");
    Objects.requireNonNull(approver, "approver");
    Objects.requireNonNull(at, "at");
    if (recused != (reason != null)) {
      throw new IllegalArgumentException("exactly a recusal has a reason");
    }
  }
}
