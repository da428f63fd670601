package org.datapact.core.agreement;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The two-person rule with conflict-of-interest recusal: an agreement version pending approval
 * becomes active only when two distinct approvers have approved it; neither may be the one who
 * submitted it, and an approver with an interest in the counterparty that holds at the time of the
 * approval is refused (recused) — the refusal is recorded like an approval.
 */
public final class Approvals {
  /** Distinct approvals that activate a version. */
  public static final int REQUIRED = 2;

  private Approvals() {}

  /** Why an approval is refused, and whether the refusal is a recusal to be recorded. */
  public record Refusal(String reason, boolean recusal) {}

  /**
   * Reviews an approval.
   *
   * @param approver the approver's principal name as status changes record it, e.g. {@code
   *     operator:olga}
   * @param person the approver's console handle, as the interest register names people
   * @param approvedBy the principals who approved this version before
   * @return why the approval is refused, or empty when it counts
   */
  public static Optional<Refusal> review(
      AgreementRecord r,
      String approver,
      String person,
      List<String> approvedBy,
      List<Interest> register,
      Instant now) {
    AgreementStatus status = r.statusAt(now);
    if (status != AgreementStatus.PENDING_APPROVAL) {
      return Optional.of(
          new Refusal(
              r.terms().ref()
                  + " is `"
                  + status.wire()
                  + "`; only a version pending approval is approved",
              false));
    }
    for (AgreementRecord.StatusChange c : r.history()) {
      if ((c.status() == AgreementStatus.DRAFT || c.status() == AgreementStatus.PENDING_APPROVAL)
          && c.by().equals(approver)) {
        return Optional.of(
            new Refusal(
                "an approver may not approve a version they drafted or submitted themselves",
                false));
      }
    }
    if (approvedBy.contains(approver)) {
      return Optional.of(new Refusal(approver + " approved this version already", false));
    }
    for (Interest i : register) {
      if (i.person().equals(person)
          && i.organisation().equals(r.terms().counterparty())
          && i.currentAt(now)) {
        return Optional.of(
            new Refusal(
                person
                    + " has a declared interest in the counterparty: "
                    + i.describe()
                    + "; the approval is recused",
                true));
      }
    }
    return Optional.empty();
  }
}
