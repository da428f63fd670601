package org.datapact.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The partner registry: an operator registers a partner and issues, rotates and retires its client;
 * the secret is shown once; rotating ends the old secret and every token it was issued at once;
 * every change is in the ledger; bad input and the wrong callers are refused.
 */
class RegistryApiTest extends DemoServerTest {

  @Test
  void rotatingAClientsSecretEndsTheOldOneAtOnce() throws Exception {
    var oscar = server.session();
    oscar.login("oscar");
    var registered =
        oscar.post(
            "/api/v1/parties",
            "{\"id\":\"cinemo\",\"kind\":\"partner\",\"displayName\":\"Cinemo\"}");
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);

    JsonNode issued = TestServer.json(oscar.post("/api/v1/parties/cinemo/clients", "{}"));
    String clientId = issued.get("clientId").asText();
    String first = issued.get("clientSecret").asText();
    assertThat(clientId).startsWith("cinemo-");
    assertThat(first).hasSizeGreaterThanOrEqualTo(40);
    var token = server.tokenRequest(clientId, first);
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    String oldToken = TestServer.json(token).get("access_token").asText();
    assertThat(server.getWithToken(oldToken, "/api/v1/duties").statusCode()).isEqualTo(200);

    var rotated = oscar.post("/api/v1/parties/cinemo/clients/" + clientId + "/rotate", "{}");
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    String second = TestServer.json(rotated).get("clientSecret").asText();
    assertThat(second).isNotEqualTo(first);
    assertThat(server.tokenRequest(clientId, first).statusCode())
        .as("the old secret gets no token")
        .isEqualTo(401);
    assertThat(server.getWithToken(oldToken, "/api/v1/duties").statusCode())
        .as("a token the old secret got ends at once")
        .isEqualTo(401);
    var fresh = server.tokenRequest(clientId, second);
    assertThat(fresh.statusCode()).isEqualTo(200);
    String newToken = TestServer.json(fresh).get("access_token").asText();
    assertThat(server.getWithToken(newToken, "/api/v1/duties").statusCode()).isEqualTo(200);
    assertThat(server.getWithToken(server.token("streamflix"), "/api/v1/duties").statusCode())
        .as("another partner's tokens are untouched")
        .isEqualTo(200);

    JsonNode entry =
        server.context.audit().entry(TestServer.json(rotated).get("ledgerIndex").asLong());
    assertThat(entry.get("action").asText()).isEqualTo("client_rotated");
    assertThat(entry.toString()).contains(clientId).doesNotContain(second).doesNotContain(first);

    var retired = oscar.post("/api/v1/parties/cinemo/clients/" + clientId + "/retire", "{}");
    assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
    assertThat(TestServer.json(retired).get("status").asText()).isEqualTo("retired");
    assertThat(server.tokenRequest(clientId, second).statusCode()).isEqualTo(401);
    assertThat(server.getWithToken(newToken, "/api/v1/duties").statusCode()).isEqualTo(401);

    var rita = server.session();
    rita.login("rita");
    String registry = rita.get("/api/v1/parties").body();
    assertThat(registry).contains("\"id\":\"cinemo\"", clientId, "retired").doesNotContain(second);
  }

  @Test
  void refusesBadInputAndTheWrongCallersNamingTheField() throws Exception {
    var oscar = server.session();
    oscar.login("oscar");
    String[][] bad = {
      {"{\"id\":\"Not A Slug\",\"kind\":\"partner\",\"displayName\":\"X\"}", "`id`"},
      {"{\"id\":\"vendorx\",\"kind\":\"vendor\",\"displayName\":\"X\"}", "`kind`"},
      {"{\"id\":\"vendorx\",\"kind\":\"unit\"}", "`displayName`"},
    };
    int before = TestServer.json(oscar.get("/api/v1/parties")).size();
    for (String[] b : bad) {
      var r = oscar.post("/api/v1/parties", b[0]);
      assertThat(r.statusCode()).as(b[0] + " -> " + r.body()).isEqualTo(400);
      assertThat(r.body()).contains(b[1]);
    }
    var duplicate =
        oscar.post(
            "/api/v1/parties",
            "{\"id\":\"streamflix\",\"kind\":\"partner\",\"displayName\":\"Again\"}");
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(TestServer.json(oscar.get("/api/v1/parties")).size()).isEqualTo(before);

    String tunelyClient = server.clientIdOf("tunely");
    assertThat(
            oscar
                .post("/api/v1/parties/streamflix/clients/" + tunelyClient + "/rotate", "{}")
                .statusCode())
        .as("a client is rotated only under its own party")
        .isEqualTo(404);
    assertThat(oscar.post("/api/v1/parties/nobody/clients", "{}").statusCode()).isEqualTo(404);

    var rita = server.session();
    rita.login("rita");
    assertThat(
            rita.post(
                    "/api/v1/parties",
                    "{\"id\":\"ritaco\",\"kind\":\"partner\",\"displayName\":\"R\"}")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            server
                .postWithToken(
                    server.token("streamflix"), "/api/v1/parties/streamflix/clients", "{}")
                .statusCode())
        .isEqualTo(403);
  }
}
