package org.datapact.server.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.datapact.core.user.UserId;
import org.datapact.server.DemoServerTest;
import org.datapact.server.ledger.LedgerEntries;
import org.datapact.store.partner.PartnerData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Activity pushes for users under each rule set: a signal is labelled with its subject's rule set
 * (EU for a German user), never with the country, which no permission names as a rule set.
 */
class PartnerActivityTest extends DemoServerTest {
  static String streamflix;

  @BeforeAll
  static void token() throws Exception {
    streamflix = server.token("streamflix");
  }

  private static HttpResponse<String> push(long user) throws Exception {
    return server.postWithToken(
        streamflix,
        "/api/v1/activity?purpose=recommendations",
        "{\"user\":\""
            + server.partnerId("streamflix", user)
            + "\",\"category\":\"video_viewing\",\"signal\":{\"genre\":\"documentary\"}}");
  }

  private static JsonNode entryOf(HttpResponse<String> r) throws Exception {
    long index = Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
    return LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(index));
  }

  @Test
  void acceptsASignalAboutAnEuUserLabelledWithTheEuRuleSet() throws Exception {
    PartnerData data = new PartnerData(server.db);
    long before = data.signalCount(UserId.of(1));
    var r = push(1); // alice, DE
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode e = entryOf(r);
    assertThat(e.get("effect").asText()).isEqualTo("allow");
    assertThat(e.get("labels").get(0).get("jurisdiction").asText()).isEqualTo("EU");
    assertThat(data.signalCount(UserId.of(1))).isEqualTo(before + 1);
  }

  @Test
  void acceptsASignalAboutAUsUserOnlyOnceTheyGaveTheVideoConsent() throws Exception {
    var without = push(2); // bob, US, no video-sharing consent
    assertThat(without.statusCode()).as(without.body()).isEqualTo(403);
    assertThat(without.body()).contains("special_consent_missing");
    var bob = server.session();
    bob.login("bob");
    assertThat(bob.put("/api/v1/me/consents/streamflix/video_sharing").statusCode()).isEqualTo(200);
    var with = push(2);
    assertThat(with.statusCode()).as(with.body()).isEqualTo(201);
    assertThat(entryOf(with).get("labels").get(0).get("jurisdiction").asText()).isEqualTo("US");
  }
}
