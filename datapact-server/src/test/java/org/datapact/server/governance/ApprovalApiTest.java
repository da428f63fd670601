package org.datapact.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The two-person rule with conflict-of-interest recusal: the attacker's cases first — one operator
 * activating alone, approving their own draft, an approver with a declared interest in the
 * counterparty — then a draft made active by two others. Each test drafts its own version.
 */
class ApprovalApiTest extends DemoServerTest {
  private static final String V = "/api/v1/agreements/tunely-messaging/versions/";

  private static TestServer.Session as(String handle) throws Exception {
    var s = server.session();
    s.login(handle);
    return s;
  }

  /** Drafts the next version of tunely's agreement as oscar; @return its version number. */
  private static synchronized int draftNextTunely(TestServer.Session oscar) throws Exception {
    int latest = 1;
    while (oscar.get(V + (latest + 1)).statusCode() == 200) {
      latest++;
    }
    ObjectNode doc = (ObjectNode) TestServer.json(oscar.get(V + latest + "/odrl"));
    doc.put("dp:version", latest + 1);
    doc.put("dp:title", "Music recommendations, amended");
    var r = oscar.post("/api/v1/agreements/drafts", doc.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return latest + 1;
  }

  private static String status(TestServer.Session s, int v) throws Exception {
    return TestServer.json(s.get(V + v)).get("statusNow").asText();
  }

  @Test
  void aSingleOperatorCannotActivateAndNoOneApprovesTheirOwnDraft() throws Exception {
    var oscar = as("oscar");
    int v = draftNextTunely(oscar);
    assertThat(status(oscar, v)).isEqualTo("draft");
    // a draft is never in force, and cannot be approved before it is submitted
    assertThat(as("olga").post(V + v + "/approvals", "{}").statusCode()).isEqualTo(409);
    assertThat(oscar.post(V + v + "/status", "{\"status\":\"pending_approval\"}").statusCode())
        .isEqualTo(200);
    var alone = oscar.post(V + v + "/status", "{\"status\":\"active\"}");
    assertThat(alone.statusCode()).isEqualTo(409);
    assertThat(alone.body()).contains("two approvers");
    var own = oscar.post(V + v + "/approvals", "{}");
    assertThat(own.statusCode()).isEqualTo(409);
    assertThat(own.body()).contains("drafted or submitted themselves");
    assertThat(TestServer.json(oscar.get(V + v + "/approvals"))).isEmpty();
    // one approval is not enough
    var first = as("olga").post(V + v + "/approvals", "{}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(TestServer.json(first).get("statusNow").asText()).isEqualTo("pending_approval");
    assertThat(as("olga").post(V + v + "/approvals", "{}").statusCode()).isEqualTo(409);
    assertThat(status(oscar, v)).isEqualTo("pending_approval");
    // a second, distinct approver activates it
    var second = as("mina").post(V + v + "/approvals", "{}");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertThat(TestServer.json(second).get("statusNow").asText()).isEqualTo("active");
    assertThat(status(oscar, v)).isEqualTo("active");
  }

  @Test
  void anApproverWithADeclaredInterestInTheCounterpartyIsRecusedOnTheRecord() throws Exception {
    var oscar = as("oscar");
    var declared =
        oscar.post(
            "/api/v1/interests",
            "{\"person\":\"mina\",\"organisation\":\"tunely\",\"kind\":\"shareholding\","
                + "\"since\":\"2020-01-01T00:00:00Z\",\"until\":\"2020-06-01T00:00:00Z\"}");
    assertThat(declared.statusCode()).as(declared.body()).isEqualTo(201);
    // an interest that ended does not recuse; rowan's executive role at streamflix does (demo)
    JsonNode register = TestServer.json(oscar.get("/api/v1/interests"));
    assertThat(register.toString()).contains("\"person\":\"rowan\"", "executive_role");
    int v = draftNextTunely(oscar);
    oscar.post(V + v + "/status", "{\"status\":\"pending_approval\"}");
    var current =
        oscar.post(
            "/api/v1/interests",
            "{\"person\":\"olga\",\"organisation\":\"tunely\",\"kind\":\"board_seat\","
                + "\"since\":\"2021-01-01T00:00:00Z\"}");
    assertThat(current.statusCode()).isEqualTo(201);
    var recused = as("olga").post(V + v + "/approvals", "{}");
    assertThat(recused.statusCode()).as(recused.body()).isEqualTo(403);
    assertThat(recused.body()).contains("declared interest", "board_seat at tunely");
    JsonNode approvals = TestServer.json(oscar.get(V + v + "/approvals"));
    assertThat(approvals).hasSize(1);
    assertThat(approvals.get(0).get("outcome").asText()).isEqualTo("recused");
    long index = approvals.get(0).get("ledgerIndex").asLong();
    JsonNode entry = server.context.audit().entry(index);
    assertThat(entry.get("type").asText()).isEqualTo("governance");
    assertThat(entry.get("action").asText()).isEqualTo("approval_recused");
    assertThat(entry.get("by").asText()).isEqualTo("operator:olga");
    assertThat(status(oscar, v)).isEqualTo("pending_approval");
  }

  @Test
  void theDemoRecordsTheBoardMembersRecusalFromThe2017Amendment() throws Exception {
    var rita = as("rita");
    JsonNode approvals =
        TestServer.json(rita.get("/api/v1/agreements/streamflix-partnership/versions/3/approvals"));
    assertThat(approvals.get(0).get("approver").asText()).isEqualTo("operator:rowan");
    assertThat(approvals.get(0).get("outcome").asText()).isEqualTo("recused");
    assertThat(approvals.get(0).get("reason").asText()).contains("executive_role at streamflix");
    JsonNode entry = server.context.audit().entry(approvals.get(0).get("ledgerIndex").asLong());
    assertThat(entry.get("at").asText()).isEqualTo("2017-07-10T00:00:00Z");
    // and rowan is recused today from streamflix's agreements too
    var oscar = as("oscar");
    ObjectNode doc =
        (ObjectNode)
            TestServer.json(oscar.get("/api/v1/agreements/streamflix-partnership/versions/4/odrl"));
    doc.put("dp:version", 5);
    var draft = oscar.post("/api/v1/agreements/drafts", doc.toString());
    assertThat(draft.statusCode()).as(draft.body()).isEqualTo(201);
    oscar.post(
        "/api/v1/agreements/streamflix-partnership/versions/5/status",
        "{\"status\":\"pending_approval\"}");
    var rowan =
        as("rowan").post("/api/v1/agreements/streamflix-partnership/versions/5/approvals", "{}");
    assertThat(rowan.statusCode()).isEqualTo(403);
  }

  @Test
  void refusesBadDraftsAndDeclarationsNamingTheField() throws Exception {
    var oscar = as("oscar");
    ObjectNode doc = (ObjectNode) TestServer.json(oscar.get(V + "1/odrl"));
    doc.put("dp:version", 1);
    var sameVersion = oscar.post("/api/v1/agreements/drafts", doc.toString());
    assertThat(sameVersion.statusCode()).isEqualTo(409);
    assertThat(sameVersion.body()).contains("`dp:version`");
    doc.put("dp:version", 99);
    doc.put("dp:unknownTerm", "x");
    var unknown = oscar.post("/api/v1/agreements/drafts", doc.toString());
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("dp:unknownTerm");
    var badKind =
        oscar.post(
            "/api/v1/interests",
            "{\"person\":\"olga\",\"organisation\":\"tunely\",\"kind\":\"friendship\",\"since\":\"2020-01-01T00:00:00Z\"}");
    assertThat(badKind.statusCode()).isEqualTo(400);
    assertThat(badKind.body()).contains("`kind`");
    var badOrg =
        oscar.post(
            "/api/v1/interests",
            "{\"person\":\"olga\",\"organisation\":\"nobody\",\"kind\":\"board_seat\",\"since\":\"2020-01-01T00:00:00Z\"}");
    assertThat(badOrg.statusCode()).isEqualTo(400);
    assertThat(badOrg.body()).contains("`organisation`");
    var backwards =
        oscar.post(
            "/api/v1/interests",
            "{\"person\":\"olga\",\"organisation\":\"tunely\",\"kind\":\"board_seat\",\"since\":\"2020-01-01T00:00:00Z\",\"until\":\"2019-01-01T00:00:00Z\"}");
    assertThat(backwards.statusCode()).isEqualTo(400);
    assertThat(backwards.body()).contains("`until`");
    assertThat(as("rita").post("/api/v1/interests", "{}").statusCode()).isEqualTo(403);
  }
}
