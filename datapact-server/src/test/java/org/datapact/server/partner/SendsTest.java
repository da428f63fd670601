package org.datapact.server.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.UserId;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.datapact.store.partner.PartnerData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recommendation sends on Jetty's core API with their rows written in groups ({@link SendWriter}):
 * every answered send is stored once under its own durable ledger entry, a group never loses or
 * mixes up a send, one send's failure is never another's, and a body is refused before it is read
 * when it is too large or not JSON.
 */
class SendsTest extends DemoServerTest {
  static String streamflix;
  static String alice;
  static String friend;

  @BeforeAll
  static void setUp() throws Exception {
    streamflix = server.token("streamflix");
    alice = server.partnerId("streamflix", 1);
    friend =
        TestServer.json(
                server.getWithToken(
                    streamflix, "/api/v1/users/" + alice + "/friends?purpose=recommendations"))
            .get("data")
            .get(0)
            .get("id")
            .asText();
  }

  private static String path() {
    return "/api/v1/users/" + alice + "/messages?purpose=recommendations";
  }

  private static HttpRequest.Builder post() {
    return HttpRequest.newBuilder(server.uri(path()))
        .header("Authorization", "Bearer " + streamflix);
  }

  private static long count(String sql, long thread) {
    return server
        .db
        .jdbi()
        .withHandle(h -> h.createQuery(sql).bind(0, thread).mapTo(Long.class).one());
  }

  @Test
  void concurrentSendsAreEachStoredOnceUnderTheirOwnLedgerEntry() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String body =
          "{\"to\":[\""
              + friend
              + "\"],\"text\":\"send "
              + i
              + ": https://streamflix.example/title/"
              + i
              + " and https://streamflix.example/title/x"
              + i
              + "\"}";
      answers.add(
          client.sendAsync(
              post()
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    Set<Long> threads = new HashSet<>();
    Set<Long> indexes = new HashSet<>();
    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<String> r = answers.get(i).get(30, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      long index = Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
      JsonNode sent = TestServer.json(r).get("sent").get(0);
      assertThat(sent.get("to").asText()).isEqualTo(friend);
      assertThat(sent.get("links").asInt()).isEqualTo(2);
      long thread = sent.get("thread").asLong();
      assertThat(threads.add(thread)).as("thread %d answered twice", thread).isTrue();
      assertThat(indexes.add(index)).isTrue();
      // this send's own text, with both its links rewritten, under this send's own ledger entry
      String stored =
          server
              .db
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT body FROM message WHERE thread_id = ?")
                          .bind(0, thread)
                          .mapTo(String.class)
                          .one());
      assertThat(stored).startsWith("send " + i + ": ").doesNotContain("streamflix.example");
      assertThat(count("SELECT COUNT(*) FROM thread_participant WHERE thread_id = ?", thread))
          .isEqualTo(2);
      assertThat(
              count(
                  "SELECT COUNT(*) FROM recommendation_link WHERE thread_id = ? AND ledger_index = "
                      + index,
                  thread))
          .isEqualTo(2);
    }
  }

  @Test
  void oneSendsFailureIsNeverAnothersInTheSameGroup() throws Exception {
    // the writer's drain runs when the test says so: the hundred sends wait for it as one group
    List<Runnable> held = new ArrayList<>();
    SendWriter writer = new SendWriter(new PartnerData(server.db), held::add);
    PartyId partner = PartyId.of("streamflix");
    List<CompletableFuture<List<Long>>> written = new ArrayList<>();
    String duplicate = "dupdupdupdupdupdupdup" + (System.nanoTime() % 10);
    for (int i = 0; i < 100; i++) {
      // the 10th and the 60th share a shim token, which the store holds unique
      String token =
          i == 10 || i == 60
              ? duplicate
              : String.format("t%021d", System.nanoTime() % 1_000_000_000L * 100 + i);
      written.add(
          writer.write(
              List.of(
                  new PartnerData.Recommendation(
                      partner,
                      UserId.of(1),
                      UserId.of(2),
                      "subject",
                      "grouped " + i,
                      List.of(new PartnerData.Link(token, "https://streamflix.example/" + i)),
                      Instant.parse("2019-01-01T00:00:00Z"),
                      1))));
    }
    assertThat(held).hasSize(1);
    assertThat(written).noneMatch(CompletableFuture::isDone);
    held.get(0).run();
    int failed = 0;
    for (int i = 0; i < written.size(); i++) {
      try {
        long thread = written.get(i).get(30, TimeUnit.SECONDS).get(0);
        assertThat(count("SELECT COUNT(*) FROM message WHERE thread_id = ?", thread)).isEqualTo(1);
      } catch (ExecutionException e) {
        failed++;
        assertThat(i).as("only the second user of the token fails").isEqualTo(60);
      }
    }
    assertThat(failed).isEqualTo(1);
    assertThat(writer.largestGroup())
        .as("the hundred sends were tried as one group")
        .isEqualTo(100);
  }

  @Test
  void aShimTokenIsUnguessableAndItsSecondComesFirst() {
    Instant at = Instant.parse("2026-12-03T21:00:00Z");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String t = PartnerWrites.token(at);
      assertThat(t).matches("[A-Za-z0-9_-]{22}"); // what the click shim accepts
      byte[] b = java.util.Base64.getUrlDecoder().decode(t);
      long second = 0;
      for (int k = 0; k < 5; k++) {
        second = (second << 8) | (b[k] & 0xff);
      }
      assertThat(second).isEqualTo(at.getEpochSecond());
      assertThat(seen.add(t.substring(7))).as("88 random bits never repeat here").isTrue();
    }
    // tokens of the same second share their leading characters: neighbours in the unique index
    assertThat(PartnerWrites.token(at).substring(0, 6))
        .isEqualTo(PartnerWrites.token(at).substring(0, 6));
  }

  @Test
  void anOversizedSendIsRefusedWith413WithOrWithoutALength() throws Exception {
    String big = "{\"to\":[\"" + friend + "\"],\"text\":\"" + "a".repeat(100_000) + "\"}";
    HttpClient client = HttpClient.newHttpClient();
    var sized =
        client.send(
            post()
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(big))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sized.statusCode()).isEqualTo(413);
    assertThat(TestServer.json(sized).get("type").asText())
        .isEqualTo("urn:datapact:problem:payload-too-large");
    byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
    // no Content-Length: sent chunked, refused once it outgrows the limit
    HttpRequest.BodyPublisher unsized =
        HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(bytes));
    var chunked =
        client.send(
            post().header("Content-Type", "application/json").POST(unsized).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.body())
        .contains("payload-too-large")
        .contains("at most 65536")
        .doesNotContain("Exception");
    assertThat(sized.body()).contains("is " + bytes.length + " bytes; at most 65536");
  }

  @Test
  void aSendNotSentAsJsonIsRefusedAndNothingIsRecorded() throws Exception {
    long before = server.ledger.log().size();
    var form =
        HttpClient.newHttpClient()
            .send(
                post()
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("to=x&text=y"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(TestServer.json(form).get("type").asText())
        .isEqualTo("urn:datapact:problem:unsupported-media-type");
    var broken = server.postWithToken(streamflix, path(), "{\"to\":[\"" + friend + "\"],\"text\":");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).contains("not valid JSON");
    assertThat(server.ledger.log().size()).isEqualTo(before);
  }

  @Test
  void aSendWithAForgedTokenIsRefusedBeforeItsBodyIsRead() throws Exception {
    long before = server.ledger.log().size();
    var r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri(path()))
                    .header("Authorization", "Bearer " + streamflix.substring(0, 40) + "x")
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"to\":[\"" + friend + "\"],\"text\":\"hi\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"datapact\"");
    var none =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri(path()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(server.ledger.log().size()).isEqualTo(before);
  }
}
