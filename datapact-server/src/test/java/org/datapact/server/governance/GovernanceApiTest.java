package org.datapact.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

class GovernanceApiTest extends DemoServerTest {
  @Test
  void operatorsSeeEveryAgreementWithItsLifecycle() throws Exception {
    var s = server.session();
    s.login("oscar");
    var list = TestServer.json(s.get("/api/v1/agreements"));
    var text = list.toString();
    assertThat(text)
        .contains(
            "streamflix-partnership", "tunely-messaging", "seekr-search", "internal-data-use");
    var streamflix =
        list.get("agreements").findValues("agreementId").stream().map(n -> n.asText()).toList();
    assertThat(streamflix).contains("streamflix-partnership");
    assertThat(text)
        .contains(
            "\"version\":4,\"title\":\"Ad-targeting data exchange with measurement\",\"counterparty\":\"streamflix\",\"statusNow\":\"active\"");
    assertThat(text)
        .contains(
            "\"version\":1,\"title\":\"Social integration (international)\",\"counterparty\":\"streamflix\",\"statusNow\":\"expired\"");
  }

  @Test
  void aVersionReadsInPlainLanguage() throws Exception {
    var s = server.session();
    s.login("rita");
    var v1 = TestServer.json(s.get("/api/v1/agreements/streamflix-partnership/versions/1"));
    assertThat(v1.get("permissions").toString())
        .contains("streamflix may use friends.list for social sharing, never for users in US.");
    var v3 = TestServer.json(s.get("/api/v1/agreements/streamflix-partnership/versions/3"));
    assertThat(v3.get("prohibitions").toString())
        .contains(
            "Data from streamflix may not be used by anyone, the platform included, for ad targeting, except on behalf of streamflix.")
        .contains("Data from streamflix may not be used by watch for any purpose.");
    assertThat(v3.get("duties").toString())
        .contains("streamflix guarantees an ad spend of 150,000,000 USD in 2017.");
  }

  @Test
  void aVersionExportsAsOdrl() throws Exception {
    var s = server.session();
    s.login("oscar");
    var r = s.get("/api/v1/agreements/streamflix-partnership/versions/4/odrl");
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/ld+json"));
    assertThat(r.body()).contains("http://www.w3.org/ns/odrl.jsonld", "\"prohibition\"");
  }

  @Test
  void partnerStaffSeeOnlyTheirOwnAgreements() throws Exception {
    var s = server.session();
    s.login("sam");
    var text = s.get("/api/v1/agreements").body();
    assertThat(text)
        .contains("streamflix-partnership")
        .doesNotContain("tunely-messaging")
        .doesNotContain("internal-data-use");
    assertThat(s.get("/api/v1/agreements/tunely-messaging/versions/1").statusCode()).isEqualTo(404);
  }

  @Test
  void usersMayNotReadAgreementsHere() throws Exception {
    var s = server.session();
    s.login("alice");
    assertThat(s.get("/api/v1/agreements").statusCode()).isEqualTo(403);
  }

  @Test
  void anUnknownVersionIsNotFound() throws Exception {
    var s = server.session();
    s.login("oscar");
    assertThat(s.get("/api/v1/agreements/streamflix-partnership/versions/9").statusCode())
        .isEqualTo(404);
    assertThat(s.get("/api/v1/agreements/streamflix-partnership/versions/x").statusCode())
        .isEqualTo(400);
  }
}
