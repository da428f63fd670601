package org.datapact.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Consent receipts: a grant and a revocation each have a Kantara-shaped receipt, signed with
 * Ed25519 under the published receipts key, naming the ledger entry; anyone with the public key can
 * check one; a changed byte fails; one user never gets another's.
 */
class ReceiptsApiTest extends DemoServerTest {

  @Test
  void aGrantAndARevocationEachHaveASignedReceiptThatVerifiesWithThePublicKeyAlone()
      throws Exception {
    var alice = server.session();
    alice.login("alice");
    var granted = alice.put("/api/v1/me/consents/tunely/recommendations");
    assertThat(granted.statusCode()).isEqualTo(200);
    JsonNode g = TestServer.json(granted);
    String href = g.get("receipt").asText();
    long index = g.get("ledgerIndex").asLong();

    var download = alice.get(href);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Type").orElse(""))
        .contains("application/jose");
    assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
        .contains("attachment");
    String jws = download.body();
    assertThat(alice.get(href).body()).as("the same receipt every time").isEqualTo(jws);

    OctetKeyPair key =
        JWK.parse(server.session().get("/api/v1/ledger/receipt-key").body()).toOctetKeyPair();
    assertThat(key.isPrivate()).isFalse();
    JsonNode claims = server.context.mapper().readTree(ConsentReceipts.verify(jws, key));
    assertThat(claims.get("version").asText()).isEqualTo("KI-CR-v1.1.0");
    assertThat(claims.get("dp:action").asText()).isEqualTo("grant");
    assertThat(claims.get("dp:ledgerIndex").asLong()).isEqualTo(index);
    assertThat(claims.get("piiPrincipalId").asText()).isEqualTo("user:1");
    assertThat(claims.get("jurisdiction").asText()).isEqualTo("EU");
    JsonNode purpose = claims.get("services").get(0).get("purposes").get(0);
    assertThat(claims.get("services").get(0).get("service").asText()).isEqualTo("tunely");
    assertThat(purpose.get("purpose").asText()).isEqualTo("recommendations");
    assertThat(purpose.get("consentType").asText()).isEqualTo("explicit");
    assertThat(purpose.get("piiCategory").toString()).contains("social_graph");
    JsonNode entry = server.context.audit().entry(index);
    assertThat(entry.get("type").asText()).isEqualTo("consent");

    var revoked = alice.delete("/api/v1/me/consents/tunely/recommendations");
    assertThat(revoked.statusCode()).isEqualTo(204);
    String link = revoked.headers().firstValue("Link").orElseThrow();
    String revokeHref = link.substring(1, link.indexOf('>'));
    JsonNode r =
        server.context.mapper().readTree(ConsentReceipts.verify(alice.get(revokeHref).body(), key));
    assertThat(r.get("dp:action").asText()).isEqualTo("revoke");
    assertThat(TestServer.json(alice.get("/api/v1/me/receipts")).toString())
        .contains(href, revokeHref);

    // one changed byte of the claims, and the signature no longer holds
    String[] parts = jws.split("\\.");
    String forged =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    new String(
                            java.util.Base64.getUrlDecoder().decode(parts[1]),
                            java.nio.charset.StandardCharsets.UTF_8)
                        .replace("\"grant\"", "\"revoke\"")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertThatThrownBy(() -> ConsentReceipts.verify(forged, key))
        .hasMessageContaining("does not verify");

    var bob = server.session();
    bob.login("bob");
    assertThat(bob.get(href).statusCode()).as("never another user's receipt").isEqualTo(404);
    assertThat(bob.get("/api/v1/me/receipts").body()).doesNotContain(href);
  }
}
