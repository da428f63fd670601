package org.datapact.server.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.datapact.core.decision.Decision;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of a decision: what a unit's answer, a refusal's problem document and a what-if
 * answer carry.
 *
 * @param decisionId the id of its ledger entry
 * @param effect {@code allow} or {@code deny}
 * @param reasons why
 * @param obligations what an allow requires
 * @param policyHash the snapshot it was made under
 * @param agreementVersion the allowing version, absent for a deny
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionAnswer(
    String decisionId,
    String effect,
    List<ReasonAnswer> reasons,
    List<ObligationAnswer> obligations,
    String policyHash,
    @Nullable String agreementVersion) {

  /**
   * One reason.
   *
   * @param code the reason code
   * @param rule the rule that gave it
   * @param detail its words
   */
  public record ReasonAnswer(String code, String rule, String detail) {}

  /**
   * One obligation.
   *
   * @param kind the obligation's kind
   * @param value its parameter
   */
  public record ObligationAnswer(String kind, String value) {}

  /**
   * @return the wire form of {@code d}, recorded as entry {@code decisionId}
   */
  public static DecisionAnswer of(String decisionId, Decision d) {
    return new DecisionAnswer(
        decisionId,
        d.effect().wire(),
        d.reasons().stream()
            .map(r -> new ReasonAnswer(r.code().wire(), r.rule(), r.detail()))
            .toList(),
        d.obligations().stream().map(o -> new ObligationAnswer(o.kind(), o.value())).toList(),
        d.policyHash(),
        d.agreementVersion());
  }
}
