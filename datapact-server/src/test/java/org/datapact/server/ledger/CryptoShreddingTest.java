package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.datapact.core.user.UserId;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.merkle.Hashes;
import org.datapact.ledger.merkle.Proofs;
import org.datapact.ledger.subject.SubjectIndex;
import org.datapact.ledger.verify.LedgerVerifier;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

class CryptoShreddingTest {
  @Test
  void erasedUsersEntriesCannotBeOpenedWhileTheLogStillVerifies() throws Exception {
    try (TestServer server = TestServer.demo()) {
      var dave = server.session();
      dave.login("dave");
      assertThat(dave.put("/api/v1/me/consents/streamflix/recommendations").statusCode())
          .isEqualTo(200);
      var r =
          server.postWithToken(
              server.token("ads"),
              "/api/v1/decisions",
              "{\"subject\":4,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
      long index = Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
      byte[] raw = server.ledger.log().entry(index);
      JsonNode before = LedgerEntries.parse(server.context.mapper(), raw);
      String pseudonym = before.get("subject").asText();
      assertThat(LedgerEntries.open(server.context.mapper(), server.ledger.subjects(), before))
          .isPresent();
      server.context.audit().flushIndex();
      assertThat(TestServer.json(dave.get("/api/v1/me/ledger?limit=100")).get("entries").toString())
          .contains(pseudonym);
      assertThat(indexRecordsOf(server, pseudonym)).isPositive();

      JsonNode erased = TestServer.json(dave.post("/api/v1/me/erasure", "{}"));
      assertThat(erased.get("erased").asBoolean()).isTrue();

      // the entry is byte for byte unchanged, but nothing opens or links it any more
      assertThat(server.ledger.log().entry(index)).isEqualTo(raw);
      assertThat(server.ledger.subjects().userOf(pseudonym)).isEmpty();
      assertThat(LedgerEntries.open(server.context.mapper(), server.ledger.subjects(), before))
          .isEmpty();
      var fresh = server.ledger.subject(UserId.of(4));
      assertThat(fresh.pseudonym()).isNotEqualTo(pseudonym);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> fresh.open(before.get("personal").asText()))
          .isInstanceOf(IllegalArgumentException.class);
      var rita = server.session();
      rita.login("rita");
      assertThat(
              TestServer.json(rita.get("/api/v1/ledger/entries/" + index)).get("personal").asText())
          .isEqualTo("erased");
      server.context.audit().flushIndex();
      String mine = TestServer.json(dave.get("/api/v1/me/ledger?limit=100")).toString();
      assertThat(mine).doesNotContain(pseudonym).doesNotContain("\"index\":" + index + ",");
      assertThat(indexRecordsOf(server, pseudonym))
          .isZero(); // the subject index's records became tombstones
      // dave's current consent was carried over under the new identity
      assertThat(mine).contains(fresh.pseudonym(), "\"party\":\"streamflix\"");

      // the log verifies, and an inclusion proof for the erased user's entry still checks
      var s = server.session();
      JsonNode cp = TestServer.json(s.get("/api/v1/ledger/checkpoint"));
      long size = cp.get("size").asLong();
      var head =
          Notes.verify(
              cp.get("note").asText(),
              server.ledger.keys().name(),
              server.ledger.keys().rawPublicKey());
      JsonNode proof =
          TestServer.json(
              s.get("/api/v1/ledger/proofs/inclusion?index=" + index + "&size=" + size));
      List<byte[]> path = new ArrayList<>();
      proof.get("auditPath").forEach(n -> path.add(Base64.getDecoder().decode(n.asText())));
      assertThat(Proofs.verifyInclusion(Hashes.leaf(raw), index, size, path, head.rootHash()))
          .isTrue();
      var result =
          LedgerVerifier.verify(
              server.ledgerDir.resolve("log"),
              server.ledger.keys().name(),
              server.ledger.keys().rawPublicKey());
      assertThat(result.ok()).as(result.message()).isTrue();
    }
  }

  @Test
  void anOperatorErasesOnRequestAndAnUnknownUserIsNotFound() throws Exception {
    try (TestServer server = TestServer.demo()) {
      var oscar = server.session();
      oscar.login("oscar");
      var r = oscar.post("/api/v1/users/2/erasure", "{}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(TestServer.json(r).get("erased").asBoolean())
          .isTrue(); // bob's generated consents gave him a key
      assertThat(oscar.post("/api/v1/users/999999/erasure", "{}").statusCode()).isEqualTo(404);
      assertThat(oscar.post("/api/v1/users/abc/erasure", "{}").statusCode()).isEqualTo(400);
      var alice = server.session();
      alice.login("alice");
      assertThat(alice.post("/api/v1/users/2/erasure", "{}").statusCode()).isEqualTo(403);
      long erasures = 0;
      for (long i = 0; i < server.ledger.log().size(); i++) {
        JsonNode e = LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(i));
        if (e.get("type").asText().equals("erasure")) {
          erasures++;
          assertThat(e.toString()).doesNotContain("\"2\"").contains("operator:oscar");
        }
      }
      assertThat(erasures).isEqualTo(1);
    }
  }

  /**
   * @return how many records of the subject index file name the pseudonym's key
   */
  private static int indexRecordsOf(TestServer server, String pseudonym)
      throws java.io.IOException {
    ByteBuffer b =
        ByteBuffer.wrap(
            Files.readAllBytes(LedgerService.subjectIndexFile(server.ledger.directory())));
    long key = SubjectIndex.key(pseudonym);
    int n = 0;
    for (int at = 0; at + 24 <= b.capacity(); at += 24) {
      n += b.getLong(at) == key ? 1 : 0;
    }
    return n;
  }
}
