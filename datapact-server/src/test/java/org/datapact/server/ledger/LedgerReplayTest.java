package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.datapact.server.TestServer;
import org.datapact.server.ledger.LedgerReplay.Outcome;
import org.junit.jupiter.api.Test;

class LedgerReplayTest {
  private static long decide(TestServer server, String unit, String body) throws Exception {
    var r = server.postWithToken(server.token(unit), "/api/v1/decisions", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
  }

  private static LedgerReplay.Result replay(TestServer server, long index) throws Exception {
    return LedgerReplay.replay(server.ledgerDir, index, server.context.mapper());
  }

  @Test
  void pastDecisionsReplayFromTheLogBeforeAndAfterARevocation() throws Exception {
    try (TestServer server = TestServer.demo()) {
      String aboutAlice = "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}";
      long allowed = decide(server, "ads", aboutAlice);
      var alice = server.session();
      alice.login("alice");
      assertThat(alice.delete("/api/v1/me/consents/platform/ad_targeting").statusCode())
          .isEqualTo(204);
      long denied = decide(server, "ads", aboutAlice);
      // a dataset question, as an operator's what-if: units may not name labels any more
      var oscar = server.session();
      oscar.login("oscar");
      var whatIf =
          oscar.post(
              "/api/v1/decisions/what-if",
              """
          {"principal":"watch","at":"2020-01-01T00:00:00Z",
           "labels":[{"source":"streamflix","category":"video_viewing","jurisdiction":"US"}],
           "scope":"data.use","purpose":"recommendations"}""");
      assertThat(whatIf.statusCode()).as(whatIf.body()).isEqualTo(200);
      long dataset =
          Long.parseLong(whatIf.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());

      LedgerReplay.Result first = replay(server, allowed);
      assertThat(first.outcome()).as(first.message()).isEqualTo(Outcome.MATCH);
      assertThat(first.replayed().effect()).isEqualTo("allow");
      LedgerReplay.Result second = replay(server, denied);
      assertThat(second.outcome()).as(second.message()).isEqualTo(Outcome.MATCH);
      assertThat(second.replayed().effect()).isEqualTo("deny");
      assertThat(second.consents()).isEqualTo(first.consents() + 1);
      LedgerReplay.Result third = replay(server, dataset);
      assertThat(third.outcome()).as(third.message()).isEqualTo(Outcome.MATCH);
      assertThat(third.replayed().reasons()).anyMatch(r -> r.contains("not-for-watch"));
      assertThat(third.agreements()).isEqualTo(server.context.policies().agreements().size());
    }
  }

  @Test
  void aDecisionTheLogDoesNotExplainIsAMismatch() throws Exception {
    try (TestServer server = TestServer.demo()) {
      long denied =
          decide(
              server, "ads", "{\"subject\":4,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
      ObjectNode forged =
          LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(denied));
      assertThat(forged.get("effect").asText()).isEqualTo("deny");
      forged.put("effect", "allow");
      long index = server.ledger.record(server.context.mapper().writeValueAsBytes(forged));
      LedgerReplay.Result r = replay(server, index);
      assertThat(r.outcome()).isEqualTo(Outcome.MISMATCH);
      assertThat(r.message()).contains("does NOT replay");
    }
  }

  @Test
  void aMismatchWhoseInputsThisShardLacksIsLeftToTheOtherShardsOnlyWhenThereAreOthers()
      throws Exception {
    try (TestServer server = TestServer.demo()) {
      long denied =
          decide(
              server, "ads", "{\"subject\":4,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
      ObjectNode forged =
          LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(denied));
      forged.put("effect", "allow");
      forged.put("agreementVersion", "nowhere-partnership@9"); // in no entry of this log
      long index = server.ledger.record(server.context.mapper().writeValueAsBytes(forged));
      try (var log = org.datapact.ledger.log.LogReader.open(server.ledgerDir.resolve("log"))) {
        var alone =
            LedgerReplay.replay(log, server.ledger.subjects(), index, server.context.mapper(), 1);
        assertThat(alone.outcome()).as(alone.message()).isEqualTo(Outcome.MISMATCH);
        var amongTwo =
            LedgerReplay.replay(log, server.ledger.subjects(), index, server.context.mapper(), 2);
        assertThat(amongTwo.outcome()).as(amongTwo.message()).isEqualTo(Outcome.OTHER_SHARDS);
        assertThat(amongTwo.message())
            .contains("no entry of agreement version nowhere-partnership@9", "2 shards");
      }
    }
  }

  @Test
  void decisionsRacingConsentChangesReplayFromWhatTheyDecidedOn() throws Exception {
    // A decision evaluated on the snapshot before a revocation took effect, but sequenced in the
    // log after the revocation's entry (while that entry waited to be durable), must still replay:
    // the log has to say which policy the decision saw, not only where it landed.
    try (TestServer server = TestServer.demo()) {
      String aboutAlice = "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}";
      var alice = server.session();
      alice.login("alice");
      String consent = "/api/v1/me/consents/platform/ad_targeting";
      List<Long> indexes =
          RacingDecisions.decideWhile(
              server,
              "ads",
              aboutAlice,
              () -> {
                for (int i = 0; i < 15; i++) {
                  assertThat(alice.delete(consent).statusCode()).isEqualTo(204);
                  assertThat(alice.put(consent).statusCode()).isBetween(200, 204);
                }
              });
      java.util.Set<String> effects = new java.util.HashSet<>();
      for (long index : indexes) {
        LedgerReplay.Result r = replay(server, index);
        assertThat(r.outcome()).as("entry " + index + ": " + r.message()).isEqualTo(Outcome.MATCH);
        effects.add(r.replayed().effect());
      }
      assertThat(effects).as("the decisions raced both states").contains("allow", "deny");
    }
  }

  @Test
  void aRevocationRecordedWhileADecisionWasOnItsWayIsShownAsNotYetInForce() throws Exception {
    try (TestServer server = TestServer.demo()) {
      String aboutAlice = "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}";
      long allowed = decide(server, "ads", aboutAlice);
      byte[] onItsWay = server.ledger.log().entry(allowed);
      var alice = server.session();
      alice.login("alice");
      assertThat(alice.delete("/api/v1/me/consents/platform/ad_targeting").statusCode())
          .isEqualTo(204);
      // the same decision landing after the revocation's entry, as a decision made a moment before
      // the revocation took effect does when the revocation's entry is sequenced first
      long landed = server.ledger.record(onItsWay);
      LedgerReplay.Result r = replay(server, landed);
      assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.MATCH);
      assertThat(r.replayed().effect()).isEqualTo("allow");
      assertThat(r.inputs().policyThrough()).isBetween(allowed - 1 - 1_000, allowed - 1);
      assertThat(r.inputs().notYetInForce())
          .singleElement()
          .satisfies(c -> assertThat(c).containsEntry("action", "revoke"));
      assertThat(r.message()).contains("were not yet in force when it was decided");
      assertThat(replay(server, allowed).inputs().notYetInForce()).isEmpty();

      // an allow long after the revocation cannot claim to have been on its way when it was made:
      // the operator of the log cannot explain away a release that way
      ObjectNode late = LedgerEntries.parse(server.context.mapper(), onItsWay);
      late.put("at", server.context.clock().instant().plusSeconds(3600).toString());
      long lateIndex = server.ledger.record(server.context.mapper().writeValueAsBytes(late));
      LedgerReplay.Result tooOld = replay(server, lateIndex);
      assertThat(tooOld.outcome()).as(tooOld.message()).isEqualTo(Outcome.MISMATCH);
      assertThat(tooOld.replayed().effect()).isEqualTo("allow"); // the verdict alone would match
      assertThat(tooOld.message()).contains("before a revocation made at", "no decision is made");

      // an entry claiming a policy at or after itself explains nothing
      ObjectNode forged = LedgerEntries.parse(server.context.mapper(), onItsWay);
      forged.put("policyThrough", server.ledger.log().size() + 1_000);
      long claimed = server.ledger.record(server.context.mapper().writeValueAsBytes(forged));
      LedgerReplay.Result bad = replay(server, claimed);
      assertThat(bad.outcome()).isEqualTo(Outcome.MISMATCH);
      assertThat(bad.message()).contains("which is not before it");
    }
  }

  @Test
  void anErasedSubjectAndANonDecisionEntryCannotBeReplayed() throws Exception {
    try (TestServer server = TestServer.demo()) {
      long index =
          decide(
              server, "ads", "{\"subject\":2,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
      assertThat(replay(server, 0).outcome()).isEqualTo(Outcome.NOT_A_DECISION);
      var oscar = server.session();
      oscar.login("oscar");
      assertThat(oscar.post("/api/v1/users/2/erasure", "{}").statusCode()).isEqualTo(200);
      assertThat(replay(server, index).outcome()).isEqualTo(Outcome.ERASED);
      // bob's later decisions replay under his new identity, from the carried-over consents
      long later =
          decide(
              server, "ads", "{\"subject\":2,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
      LedgerReplay.Result r = replay(server, later);
      assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.MATCH);
      assertThat(r.replayed().effect()).isEqualTo("allow");
    }
  }

  @Test
  void aSendRefusedForARecipientReplaysTheSendersDecision() throws Exception {
    try (TestServer server = TestServer.demo()) {
      String token = server.token("streamflix");
      var r =
          server.postWithToken(
              token,
              "/api/v1/users/"
                  + server.partnerId("streamflix", 1)
                  + "/messages?purpose=recommendations",
              "{\"to\":[\""
                  + server.partnerId("streamflix", 4)
                  + "\"],\"text\":\"hi\"}"); // dave has not consented
      assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
      long index = Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
      LedgerReplay.Result result = replay(server, index);
      assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.MATCH);
      assertThat(result.message()).contains("a recipient was refused");
    }
  }
}
