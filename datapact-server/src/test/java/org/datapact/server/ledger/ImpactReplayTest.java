package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.user.UserId;
import org.datapact.ledger.log.LogReader;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The impact of a draft on the record: a draft of the internal data-use policy without the ads
 * unit's targeting permission, replayed over the decisions just made, equals a brute-force
 * re-decision of the same ledgered requests one by one.
 */
class ImpactReplayTest extends DemoServerTest {
  @Test
  void theReplayOfADraftEqualsABruteForceReDecisionOfTheLedgeredRequests() throws Exception {
    String ads = server.token("ads");
    for (int u = 1; u <= 60; u++) {
      var r =
          server.postWithToken(
              ads,
              "/api/v1/decisions",
              "{\"subject\":" + u + ",\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
      assertThat(r.statusCode()).isEqualTo(200);
      server.postWithToken(
          server.token("ranking"),
          "/api/v1/decisions",
          "{\"subject\":" + u + ",\"scope\":\"data.use\",\"purpose\":\"ranking\"}");
    }
    var oscar = server.session();
    oscar.login("oscar");
    ObjectNode doc =
        (ObjectNode)
            TestServer.json(oscar.get("/api/v1/agreements/internal-data-use/versions/1/odrl"));
    doc.put("dp:version", 2);
    ArrayNode permissions = (ArrayNode) doc.get("permission");
    for (Iterator<JsonNode> it = permissions.iterator(); it.hasNext(); ) {
      if (it.next().toString().contains("ads-targeting")) {
        it.remove();
      }
    }
    var draft = oscar.post("/api/v1/agreements/drafts", doc.toString());
    assertThat(draft.statusCode()).as(draft.body()).isEqualTo(201);

    var r = oscar.get("/api/v1/agreements/internal-data-use/versions/2/impact?days=1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode impact = TestServer.json(r);
    assertThat(impact.get("terms").get("narrows").toString())
        .contains("no longer permits: ads may use data.use for ad targeting");
    JsonNode replay = impact.get("replay");

    // brute force: every decision entry of the last day, re-decided one at a time
    PolicySnapshot now = server.context.decisions().snapshot();
    AgreementRecord v2 =
        now.agreements().stream()
            .filter(a -> a.terms().ref().equals("internal-data-use@2"))
            .findFirst()
            .orElseThrow();
    Instant from = Instant.now().minus(Duration.ofDays(1));
    PolicySnapshot after = ImpactReplay.withDraft(now, v2, from);
    EntryCodec codec = new EntryCodec(server.context.mapper());
    long[] counts = new long[2];
    Set<Long> users = new HashSet<>();
    try (LogReader log = LogReader.open(server.ledgerDir.resolve("log"))) {
      log.forEach(
          log.size(),
          (i, bytes) -> {
            if (!(codec.decode(bytes) instanceof LedgerEntry.DecisionEntry d)
                || d.whatIf()
                || d.at().isBefore(from.plusSeconds(5))) {
              return;
            }
            Optional<LedgerEntries.Personal> p =
                LedgerEntries.open(
                    server.context.mapper(), server.ledger.subjects(), d.subject(), d.personal());
            UserId user = p.map(x -> UserId.of(x.user())).orElse(null);
            var req = d.request(user);
            counts[0]++;
            String was = now.decide(req).effect().toString();
            String will = after.decide(req).effect().toString();
            if (!was.equals(will)) {
              counts[1]++;
              users.add(user == null ? -1 : user.value());
            }
          });
    }
    assertThat(replay.get("replayed").asLong()).isEqualTo(counts[0]);
    assertThat(replay.get("changed").asLong()).isEqualTo(counts[1]).isPositive();
    assertThat(replay.get("usersChanged").asLong()).isEqualTo(users.size());
    assertThat(replay.get("byUse").toString())
        .contains("\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"")
        .doesNotContain("\"purpose\":\"ranking\"");
    assertThat(replay.get("examples").get(0).get("before").asText()).isEqualTo("allow");
    assertThat(replay.get("examples").get(0).get("after").asText()).isEqualTo("deny");
  }
}
