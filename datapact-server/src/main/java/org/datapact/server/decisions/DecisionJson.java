package org.datapact.server.decisions;

import java.util.LinkedHashMap;
import java.util.Map;
import org.datapact.core.decision.Decision;

/** The wire form of a decision. */
public final class DecisionJson {
  private DecisionJson() {}

  /** @return the decision as a JSON-ready map with a decision id */
  public static Map<String, Object> of(String decisionId, Decision d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decisionId", decisionId);
    m.put("effect", d.effect().wire());
    m.put("reasons", d.reasons().stream().map(r -> ordered("code", r.code().wire(), "rule", r.rule(), "detail", r.detail())).toList());
    m.put("obligations", d.obligations().stream().map(o -> ordered("kind", o.kind(), "value", o.value())).toList());
    m.put("policyHash", d.policyHash());
    if (d.agreementVersion() != null) {
      m.put("agreementVersion", d.agreementVersion());
    }
    return m;
  }

  private static Map<String, String> ordered(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
