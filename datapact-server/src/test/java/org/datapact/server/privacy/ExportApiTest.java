package org.datapact.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * A user's access history (filtered, JSON and CSV) and their export archive: what streamflix read
 * about alice is in both, her receipts in the archive verify, bad filters are refused naming the
 * field, and bob never sees any of it.
 */
class ExportApiTest extends DemoServerTest {

  @Test
  void aliceDownloadsHerAccessHistoryAndHerWholeRecordAndBobSeesNoneOfIt() throws Exception {
    var read = server.partnerReadsProfile("streamflix", 1);
    String index = read.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow();
    server.context.audit().flushIndex();
    var alice = server.session();
    alice.login("alice");
    assertThat(alice.put("/api/v1/me/consents/tunely/recommendations").statusCode()).isEqualTo(200);

    JsonNode streamflixOnly =
        TestServer.json(alice.get("/api/v1/me/history?party=streamflix")).get("entries");
    assertThat(streamflixOnly).isNotEmpty();
    streamflixOnly.forEach(
        e ->
            assertThat(e.has("principal") ? e.get("principal").asText() : e.get("party").asText())
                .isEqualTo("streamflix"));
    assertThat(streamflixOnly.toString()).contains("\"index\":" + index);
    JsonNode consentsOnly =
        TestServer.json(alice.get("/api/v1/me/history?type=consent")).get("entries");
    consentsOnly.forEach(e -> assertThat(e.get("type").asText()).isEqualTo("consent"));

    var csv = alice.get("/api/v1/me/history?format=csv&party=streamflix");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).contains("text/csv");
    String[] lines = csv.body().split("\r\n");
    assertThat(lines[0])
        .isEqualTo("index,at,type,who,scope,purpose,outcome,reasons,agreement_version");
    assertThat(csv.body())
        .contains(index + ",")
        .contains("streamflix,profile.basic,recommendations");

    var bad = alice.get("/api/v1/me/history?effect=maybe");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("`effect`");

    var export = alice.get("/api/v1/me/export");
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.headers().firstValue("Content-Disposition").orElse(""))
        .contains("attachment");
    JsonNode archive = TestServer.json(export);
    assertThat(archive.get("profile").get("userId").asLong()).isEqualTo(1);
    assertThat(archive.get("friends")).isNotEmpty();
    assertThat(archive.get("accessHistory").toString()).contains("\"index\":" + index);
    assertThat(archive.has("partnerSignals")).isTrue();
    assertThat(archive.has("segments")).isTrue();
    var key = JWK.parse(alice.get("/api/v1/ledger/receipt-key").body()).toOctetKeyPair();
    assertThat(archive.get("consents")).isNotEmpty();
    assertThat(archive.get("receipts")).isNotEmpty();
    for (JsonNode c : archive.get("receipts")) {
      JsonNode claims =
          server.context.mapper().readTree(ConsentReceipts.verify(c.get("receipt").asText(), key));
      assertThat(claims.get("dp:ledgerIndex").asLong()).isEqualTo(c.get("ledgerIndex").asLong());
      assertThat(claims.get("piiPrincipalId").asText()).isEqualTo("user:1");
    }

    var bob = server.session();
    bob.login("bob");
    assertThat(TestServer.json(bob.get("/api/v1/me/history?party=streamflix")).toString())
        .doesNotContain("\"index\":" + index + ",");
    JsonNode bobs = TestServer.json(bob.get("/api/v1/me/export"));
    assertThat(bobs.get("profile").get("userId").asLong()).isEqualTo(2);
    assertThat(bobs.get("accessHistory").toString()).doesNotContain("\"index\":" + index + ",");
  }
}
