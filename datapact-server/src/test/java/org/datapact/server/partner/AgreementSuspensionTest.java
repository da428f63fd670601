package org.datapact.server.partner;

import static org.assertj.core.api.Assertions.assertThat;

import org.datapact.server.TestServer;
import org.datapact.server.ledger.LedgerEntries;
import org.junit.jupiter.api.Test;

/**
 * Suspending an agreement revokes the partner's tokens and denies its next calls; reinstating
 * restores them.
 */
class AgreementSuspensionTest {
  @Test
  void suspendingTheAgreementRevokesTokensAndDeniesUntilReinstated() throws Exception {
    try (TestServer server = TestServer.demo()) {
      String token = server.token("streamflix");
      String path =
          "/api/v1/users/" + server.partnerId("streamflix", 1) + "/friends?purpose=recommendations";
      assertThat(server.getWithToken(token, path).statusCode()).isEqualTo(200);
      var oscar = server.session();
      oscar.login("oscar");
      long before = server.ledger.log().size();
      var r =
          oscar.post(
              "/api/v1/agreements/streamflix-partnership/versions/4/status",
              "{\"status\":\"suspended\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      // the change is in the ledger
      var e = LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(before));
      assertThat(e.get("type").asText()).isEqualTo("agreement");
      assertThat(e.get("history").toString())
          .contains("\"status\":\"suspended\"", "operator:oscar");
      // the old token is revoked
      var old = server.getWithToken(token, path);
      assertThat(old.statusCode()).isEqualTo(401);
      assertThat(TestServer.json(old).get("detail").asText()).contains("revoked");
      // a new token carries no scope, and the decision point denies
      String fresh = server.token("streamflix");
      var denied = server.getWithToken(fresh, path);
      assertThat(denied.statusCode()).as(denied.body()).isEqualTo(403);
      assertThat(denied.body()).contains("no_active_agreement");
      // suspending twice is a conflict; a partner cannot change status
      assertThat(
              oscar
                  .post(
                      "/api/v1/agreements/streamflix-partnership/versions/4/status",
                      "{\"status\":\"suspended\"}")
                  .statusCode())
          .isEqualTo(409);
      assertThat(
              oscar
                  .post(
                      "/api/v1/agreements/streamflix-partnership/versions/4/status",
                      "{\"status\":\"expired\"}")
                  .statusCode())
          .isEqualTo(400);
      var sam = server.session();
      sam.login("sam");
      assertThat(
              sam.post(
                      "/api/v1/agreements/streamflix-partnership/versions/4/status",
                      "{\"status\":\"active\"}")
                  .statusCode())
          .isEqualTo(403);
      // reinstated: a new token works again
      assertThat(
              oscar
                  .post(
                      "/api/v1/agreements/streamflix-partnership/versions/4/status",
                      "{\"status\":\"active\"}")
                  .statusCode())
          .isEqualTo(200);
      assertThat(server.getWithToken(server.token("streamflix"), path).statusCode()).isEqualTo(200);
    }
  }
}
