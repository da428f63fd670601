package org.datapact.server.decisions;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.datapact.core.DataPactException;
import org.datapact.core.party.PartyId;
import org.datapact.server.http.Json;

/**
 * Fuzzes the JSON request decoder of {@code POST /api/v1/decisions} and what-if: the server's
 * strict mapper, then the parse into a decision request. The only allowed refusal is an
 * invalid-input {@link DataPactException} (a 400); anything else escaping would be a 500.
 */
class DecisionBodyFuzzTest {
  private static final ObjectMapper MAPPER = Json.newMapper();

  @FuzzTest(maxDuration = "30s")
  void decisionRequestDecoder(FuzzedDataProvider data) {
    String body = data.consumeRemainingAsString();
    try {
      DecisionFeature.DecisionBody b =
          Json.parse(body, "application/json", MAPPER, DecisionFeature.DecisionBody.class);
      DecisionFeature.parse(PartyId.of("ads"), b, Instant.EPOCH);
    } catch (DataPactException expected) {
      // a 400 naming the field
    }
    try {
      Json.parse(body, "application/json", MAPPER, DecisionFeature.WhatIfBody.class);
    } catch (DataPactException expected) {
      // a 400 naming the field
    }
  }
}
