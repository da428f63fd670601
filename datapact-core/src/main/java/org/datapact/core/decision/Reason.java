package org.datapact.core.decision;

import java.util.Objects;

/**
 * Why a decision went the way it did.
 *
 * @param code the machine-readable reason
 * @param rule the rule that decided: {@code agreement@version#ruleId}, or a rule-set id, or {@code
 *     default}
 * @param detail a sentence for people
 */
public record Reason(ReasonCode code, String rule, String detail) {
  /** Validates. */
  public Reason {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(detail, "detail");
  }
}
