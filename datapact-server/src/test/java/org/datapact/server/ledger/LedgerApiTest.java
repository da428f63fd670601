package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.merkle.Hashes;
import org.datapact.ledger.merkle.Proofs;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

class LedgerApiTest extends DemoServerTest {
  private static List<byte[]> hashes(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    array.forEach(n -> out.add(Base64.getDecoder().decode(n.asText())));
    return out;
  }

  private static long decide() throws Exception {
    var r =
        server.postWithToken(
            server.token("watch"),
            "/api/v1/decisions",
            "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"recommendations\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    return Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
  }

  @Test
  void everyDecisionIsInTheLedgerWithAVerifyingInclusionProof() throws Exception {
    long index = decide();
    var s = server.session();
    JsonNode cp = TestServer.json(s.get("/api/v1/ledger/checkpoint"));
    long size = cp.get("size").asLong();
    assertThat(size).isGreaterThan(index);
    JsonNode key = TestServer.json(s.get("/api/v1/ledger/public-key"));
    Notes.VerifierKey vkey = Notes.parseVerifierKey(key.get("verifierKey").asText());
    var head = Notes.verify(cp.get("note").asText(), vkey.name(), vkey.rawPublicKey());
    assertThat(head.size()).isEqualTo(size);
    JsonNode proof =
        TestServer.json(s.get("/api/v1/ledger/proofs/inclusion?index=" + index + "&size=" + size));
    byte[] leaf = Base64.getDecoder().decode(proof.get("leafHash").asText());
    assertThat(
            Proofs.verifyInclusion(
                leaf, index, size, hashes(proof.get("auditPath")), head.rootHash()))
        .isTrue();
    // the entry behind the leaf is the decision, with no user id in it
    byte[] entry = server.ledger.log().entry(index);
    assertThat(Hashes.leaf(entry)).isEqualTo(leaf);
    assertThat(new String(entry, StandardCharsets.UTF_8))
        .contains("\"principal\":\"watch\"", "\"purpose\":\"recommendations\"")
        .doesNotContain("\"subject\":1", "alice", "Alice");
  }

  @Test
  void aSubjectAppearsOnlyAsAPseudonym() throws Exception {
    var r =
        server.postWithToken(
            server.token("ads"),
            "/api/v1/decisions",
            "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
    long index = Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
    String entry = new String(server.ledger.log().entry(index), StandardCharsets.UTF_8);
    assertThat(entry)
        .contains(
            "\"subject\":\""
                + server.ledger.subject(org.datapact.core.user.UserId.of(1)).pseudonym()
                + "\"")
        .doesNotContain("\"subject\":1")
        .doesNotContain("Alice");
  }

  @Test
  void aConsentChangeIsCommittedToTheLedgerAsItTakesEffect() throws Exception {
    var carol = server.session();
    carol.login("carol");
    long before = server.ledger.log().size();
    assertThat(carol.put("/api/v1/me/consents/tunely/recommendations").statusCode()).isEqualTo(200);
    assertThat(carol.delete("/api/v1/me/consents/tunely/recommendations").statusCode())
        .isEqualTo(204);
    assertThat(server.ledger.log().size()).isEqualTo(before + 2);
    String pseudonym = server.ledger.subject(org.datapact.core.user.UserId.of(3)).pseudonym();
    String grant = new String(server.ledger.log().entry(before), StandardCharsets.UTF_8);
    String revoke = new String(server.ledger.log().entry(before + 1), StandardCharsets.UTF_8);
    assertThat(grant)
        .contains(
            "\"type\":\"consent\"",
            "\"subject\":\"" + pseudonym + "\"",
            "\"party\":\"tunely\"",
            "\"action\":\"grant\"")
        .doesNotContain("Carol");
    assertThat(revoke).contains("\"action\":\"revoke\"", "\"topic\":\"recommendations\"");
  }

  @Test
  void successiveCheckpointsAreConsistent() throws Exception {
    var s = server.session();
    JsonNode first = TestServer.json(s.get("/api/v1/ledger/checkpoint"));
    decide();
    decide();
    JsonNode second = TestServer.json(s.get("/api/v1/ledger/checkpoint"));
    long m = first.get("size").asLong();
    long n = second.get("size").asLong();
    assertThat(n).isGreaterThan(m);
    JsonNode proof =
        TestServer.json(s.get("/api/v1/ledger/proofs/consistency?first=" + m + "&second=" + n));
    assertThat(
            Proofs.verifyConsistency(
                m,
                n,
                Base64.getDecoder().decode(first.get("rootHash").asText()),
                Base64.getDecoder().decode(second.get("rootHash").asText()),
                hashes(proof.get("proof"))))
        .isTrue();
  }

  @Test
  void aUserGetsTheEvidenceOfTheirOwnEntriesOnlyAndItVerifiesOnTheServerToo() throws Exception {
    var alice = server.session();
    alice.login("alice");
    assertThat(alice.put("/api/v1/me/consents/tunely/recommendations").statusCode()).isEqualTo(200);
    server.context.audit().flushIndex();
    long index =
        TestServer.json(alice.get("/api/v1/me/ledger?limit=1"))
            .get("entries")
            .get(0)
            .get("index")
            .asLong();
    server.awaitCheckpointCovering(index);
    var r = alice.get("/api/v1/me/ledger/" + index + "/evidence");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode e = TestServer.json(r);
    byte[] entry = java.util.Base64.getDecoder().decode(e.get("entry").asText());
    java.util.List<byte[]> path = new java.util.ArrayList<>();
    e.get("auditPath").forEach(p -> path.add(java.util.Base64.getDecoder().decode(p.asText())));
    var checkpoint =
        org.datapact.ledger.checkpoint.Notes.verify(
            e.get("checkpoint").asText(),
            e.get("keyName").asText(),
            java.util.Base64.getDecoder().decode(e.get("publicKey").asText()));
    assertThat(
            org.datapact.ledger.merkle.Proofs.verifyInclusion(
                org.datapact.ledger.merkle.Hashes.leaf(entry),
                index,
                checkpoint.size(),
                path,
                checkpoint.rootHash()))
        .isTrue();

    var bob = server.session();
    bob.login("bob");
    var stolen = bob.get("/api/v1/me/ledger/" + index + "/evidence");
    assertThat(stolen.statusCode()).as("another user's entry is not found").isEqualTo(404);
    assertThat(stolen.body()).doesNotContain(e.get("entry").asText());
    assertThat(alice.get("/api/v1/me/ledger/0/evidence").statusCode())
        .as("an entry about nobody is not the user's")
        .isEqualTo(404);
  }

  @Test
  void badProofRequestsAreInvalidInput() throws Exception {
    var s = server.session();
    for (String q :
        new String[] {
          "/api/v1/ledger/proofs/inclusion?index=5",
          "/api/v1/ledger/proofs/inclusion?index=x&size=2",
          "/api/v1/ledger/proofs/inclusion?index=9999999&size=99999999",
          "/api/v1/ledger/proofs/consistency?first=3&second=1"
        }) {
      var r = s.get(q);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(TestServer.json(r).get("type").asText())
          .isEqualTo("urn:datapact:problem:invalid-input");
    }
  }
}
