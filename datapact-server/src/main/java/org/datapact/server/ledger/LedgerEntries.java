package org.datapact.server.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;

/**
 * The ledger's entry formats, in one place: JSON objects with a {@code type}, never a user id
 * (subjects appear as {@link LedgerService#pseudonym} keyed hashes) and never message contents.
 */
public final class LedgerEntries {
  private final ObjectMapper mapper;
  private final LedgerService ledger;

  /** @param mapper writes the JSON; @param ledger pseudonymises subjects */
  public LedgerEntries(ObjectMapper mapper, LedgerService ledger) {
    this.mapper = mapper;
    this.ledger = ledger;
  }

  /** @return the entry of a decision */
  public byte[] decision(String decisionId, DecisionRequest r, Decision d) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", "decision");
    e.put("decisionId", decisionId);
    e.put("at", r.at().toString());
    e.put("principal", r.principal().value());
    e.put("subject", r.subject() == null ? null : ledger.pseudonym(r.subject()));
    e.put("labelSources", r.labels().labels().stream().map(l -> l.source().value()).sorted().distinct().toList());
    e.put("scope", r.scope().wire());
    e.put("purpose", r.purpose().wire());
    e.put("effect", d.effect().wire());
    e.put("reasons", d.reasons().stream().map(x -> x.code().wire() + " " + x.rule()).toList());
    e.put("agreementVersion", d.agreementVersion());
    e.put("policyHash", d.policyHash());
    return write(e);
  }

  /** @return the entry of a consent change */
  public byte[] consent(ConsentChange c) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", "consent");
    e.put("at", c.at().toString());
    e.put("subject", ledger.pseudonym(c.user()));
    e.put("party", c.party().value());
    e.put("topic", c.topic().wire());
    e.put("action", c.granted() ? "grant" : "revoke");
    e.put("expiresAt", c.expiresAt() == null ? null : c.expiresAt().toString());
    e.put("basis", c.basis().wire());
    e.put("source", c.source());
    return write(e);
  }

  private byte[] write(Map<String, Object> e) {
    try {
      return mapper.writeValueAsBytes(e);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot serialise a ledger entry", ex); // INVARIANT: maps of strings serialise
    }
  }
}
