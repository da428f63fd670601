package org.datapact.server.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.UserId;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.merkle.Hashes;
import org.datapact.ledger.merkle.Proofs;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.datapact.server.ledger.LedgerEntries;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The partner API over real HTTP against the demo world: the seed's story, end to end. */
class PartnerApiTest extends DemoServerTest {
  static String streamflix;
  static String seekr;

  @BeforeAll
  static void tokens() throws Exception {
    streamflix = server.token("streamflix");
    seekr = server.token("seekr");
  }

  static long ledgerIndex(HttpResponse<String> r) {
    return Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
  }

  static JsonNode entry(long index) throws Exception {
    return LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(index));
  }

  /**
   * Asserts that entry {@code index} is in the signed log, by an inclusion proof from the public
   * endpoints.
   */
  static void assertProvable(long index) throws Exception {
    var s = server.session();
    JsonNode cp = TestServer.json(s.get("/api/v1/ledger/checkpoint"));
    long size = cp.get("size").asLong();
    JsonNode key = TestServer.json(s.get("/api/v1/ledger/public-key"));
    Notes.VerifierKey vkey = Notes.parseVerifierKey(key.get("verifierKey").asText());
    var head = Notes.verify(cp.get("note").asText(), vkey.name(), vkey.rawPublicKey());
    JsonNode proof =
        TestServer.json(s.get("/api/v1/ledger/proofs/inclusion?index=" + index + "&size=" + size));
    List<byte[]> path = new ArrayList<>();
    proof.get("auditPath").forEach(n -> path.add(Base64.getDecoder().decode(n.asText())));
    assertThat(
            Proofs.verifyInclusion(
                Hashes.leaf(server.ledger.log().entry(index)), index, size, path, head.rootHash()))
        .as("entry %d is provably in the signed log", index)
        .isTrue();
  }

  @Test
  void streamflixSeesOnlyAlicesFriendsWhoConsentedNeverDave() throws Exception {
    String alice = server.partnerId("streamflix", 1);
    List<String> ids = new ArrayList<>();
    String next = null;
    List<Long> entries = new ArrayList<>();
    do {
      var r =
          server.getWithToken(
              streamflix,
              "/api/v1/users/"
                  + alice
                  + "/friends?purpose=recommendations&limit=10"
                  + (next == null ? "" : "&cursor=" + next));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      entries.add(ledgerIndex(r));
      JsonNode page = TestServer.json(r);
      page.get("data").forEach(f -> ids.add(f.get("id").asText()));
      next = page.get("next").isNull() ? null : page.get("next").asText();
    } while (next != null);
    assertThat(ids)
        .isNotEmpty()
        .doesNotContain(server.partnerId("streamflix", 4))
        .doesNotHaveDuplicates();
    var snapshot = server.context.decisions().snapshot();
    for (String id : ids) {
      UserId friend =
          server.context.partnerIds().resolve(PartyId.of("streamflix"), id).orElseThrow();
      assertThat(
              server.context.policies().current(friend).stream()
                  .anyMatch(
                      c ->
                          c.party().value().equals("streamflix")
                              && c.topic().wire().equals("recommendations")))
          .as("friend %s consented to streamflix for recommendations", friend)
          .isTrue();
      assertThat(friend.value()).isNotEqualTo(4);
    }
    JsonNode e = entry(entries.get(0));
    assertThat(e.get("type").asText()).isEqualTo("decision");
    assertThat(e.get("effect").asText()).isEqualTo("allow");
    assertThat(e.get("principal").asText()).isEqualTo("streamflix");
    assertThat(e.get("released")).isNotEmpty();
    assertThat(e.toString()).doesNotContain("\"subject\":1").doesNotContain(alice);
    assertProvable(entries.get(0));
  }

  @Test
  void streamflixReadsBobsAppThreadsButNotHisVideoActivityWithoutTheVideoConsent()
      throws Exception {
    String bob = server.partnerId("streamflix", 2);
    var threads =
        server.getWithToken(
            streamflix, "/api/v1/users/" + bob + "/inbox/threads?purpose=recommendations");
    assertThat(threads.statusCode()).as(threads.body()).isEqualTo(200);
    JsonNode list = TestServer.json(threads).get("data");
    assertThat(list).isNotEmpty();
    list.forEach(
        t ->
            assertThat(t.get("via").asText())
                .isEqualTo("streamflix")); // minimised: app threads only
    var messages =
        server.getWithToken(
            streamflix,
            "/api/v1/users/"
                + bob
                + "/inbox/threads/"
                + list.get(0).get("id").asText()
                + "/messages?purpose=recommendations");
    assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);
    assertThat(TestServer.json(messages).get("data")).isNotEmpty();
    assertProvable(ledgerIndex(threads));

    long before = new org.datapact.store.partner.PartnerData(server.db).signalCount(UserId.of(2));
    var video =
        server.postWithToken(
            streamflix,
            "/api/v1/activity?purpose=recommendations",
            "{\"user\":\""
                + bob
                + "\",\"category\":\"video_viewing\",\"signal\":{\"genre\":\"documentary\"}}");
    assertThat(video.statusCode()).as(video.body()).isEqualTo(403);
    JsonNode problem = TestServer.json(video);
    assertThat(problem.get("type").asText()).isEqualTo("urn:datapact:problem:denied");
    assertThat(problem.get("decision").get("reasons").toString())
        .contains("special_consent_missing");
    assertThat(new org.datapact.store.partner.PartnerData(server.db).signalCount(UserId.of(2)))
        .isEqualTo(before);
    assertThat(entry(ledgerIndex(video)).get("effect").asText()).isEqualTo("deny");
    assertProvable(ledgerIndex(video));
  }

  @Test
  void seekrReadingFriendsIsDeniedAndTheDenialIsInTheLedger() throws Exception {
    var r =
        server.getWithToken(
            seekr,
            "/api/v1/users/" + server.partnerId("seekr", 1) + "/friends?purpose=recommendations");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(TestServer.json(r).get("type").asText()).isEqualTo("urn:datapact:problem:denied");
    assertThat(r.body()).doesNotContain("displayName");
    JsonNode e = entry(ledgerIndex(r));
    assertThat(e.get("principal").asText()).isEqualTo("seekr");
    assertThat(e.get("effect").asText()).isEqualTo("deny");
    assertThat(e.has("released")).isFalse();
    assertProvable(ledgerIndex(r));
  }

  @Test
  void aRecommendationLinkIsRewrittenToTheClickShimWhichCountsAndRedirects() throws Exception {
    String alice = server.partnerId("streamflix", 1);
    var friends =
        TestServer.json(
            server.getWithToken(
                streamflix, "/api/v1/users/" + alice + "/friends?purpose=recommendations"));
    String friend = friends.get("data").get(0).get("id").asText();
    var sent =
        server.postWithToken(
            streamflix,
            "/api/v1/users/" + alice + "/messages?purpose=recommendations",
            "{\"to\":[\""
                + friend
                + "\"],\"text\":\"Alice thinks you will like this: https://streamflix.example/title/42\"}");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
    String thread = TestServer.json(sent).get("sent").get(0).get("thread").asText();
    String body =
        server
            .db
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT body FROM message WHERE thread_id = ?")
                        .bind(0, Long.parseLong(thread))
                        .mapTo(String.class)
                        .one());
    assertThat(body).doesNotContain("https://streamflix.example/title/42").contains("/r/");
    String path = body.substring(body.indexOf("/r/"));
    var click =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(click.statusCode()).isEqualTo(302);
    assertThat(click.headers().firstValue("Location"))
        .hasValue("https://streamflix.example/title/42");
    assertThat(
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(server.uri("/r/AAAAAAAAAAAAAAAAAAAAAA")).GET().build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(404);
    var usage = TestServer.json(server.getWithToken(streamflix, "/api/v1/partner/usage"));
    JsonNode today = usage.get("recommendations").get(usage.get("recommendations").size() - 1);
    assertThat(today.get("sends").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(today.get("clicks").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(usage.get("calls").toString()).contains("POST /api/v1/users/{userId}/messages");
    // the sent thread is one of alice's streamflix app threads now
    assertProvable(ledgerIndex(sent));
  }

  @Test
  void connectionsListPartnerScopedIdsOfConsentingUsersPageByPage() throws Exception {
    var first =
        server.getWithToken(streamflix, "/api/v1/connections?purpose=recommendations&limit=5");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode page = TestServer.json(first);
    assertThat(page.get("data")).hasSize(5);
    var second =
        TestServer.json(
            server.getWithToken(
                streamflix,
                "/api/v1/connections?purpose=recommendations&limit=5&cursor="
                    + page.get("next").asText()));
    List<String> ids = new ArrayList<>();
    page.get("data").forEach(x -> ids.add(x.get("id").asText()));
    second.get("data").forEach(x -> ids.add(x.get("id").asText()));
    assertThat(ids).hasSize(10).doesNotHaveDuplicates().allMatch(id -> id.startsWith("u_"));
    for (String id : ids) {
      assertThat(server.context.partnerIds().resolve(PartyId.of("streamflix"), id)).isPresent();
      assertThat(server.context.partnerIds().resolve(PartyId.of("tunely"), id))
          .isEmpty(); // not joinable across partners
    }
    JsonNode e = entry(ledgerIndex(first));
    assertThat(e.get("type").asText()).isEqualTo("listing");
    assertThat(e.get("released")).hasSize(5);
  }

  @Test
  void aProfileReadCarriesTheDecisionReceipt() throws Exception {
    var r =
        server.getWithToken(
            streamflix,
            "/api/v1/users/"
                + server.partnerId("streamflix", 1)
                + "/profile?purpose=recommendations");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-DataPact-Decision-Id")).isPresent();
    JsonNode p = TestServer.json(r);
    assertThat(p.get("id").asText()).isEqualTo(server.partnerId("streamflix", 1));
    assertThat(p.get("displayName").asText()).isNotBlank();
    assertThat(p.has("userId")).isFalse();
    assertThat(entry(ledgerIndex(r)).get("decisionId").asText())
        .isEqualTo(r.headers().firstValue("X-DataPact-Decision-Id").orElseThrow());
  }
}
