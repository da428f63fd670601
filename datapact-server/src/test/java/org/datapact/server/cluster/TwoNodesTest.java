package org.datapact.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.util.List;
import java.util.UUID;
import org.datapact.server.TestServer;
import org.datapact.store.StoreConfig;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one database (H2 in this JVM, and PostgreSQL when {@code DATAPACT_TEST_PG_URL} is
 * set, as in CI): a revocation on one is honoured by the other within a second, and a node cut off
 * from the other's changes refuses to release instead of serving a stale allow.
 */
class TwoNodesTest {

  @Test
  void twoNodesOnH2AgreeOnARevocationWithinASecondAndACutOffNodeRefuses() throws Exception {
    run(
        new StoreConfig(
            "jdbc:h2:mem:n" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1",
            null,
            null,
            null));
  }

  @Test
  void twoNodesOnPostgresAgreeOnARevocationWithinASecondAndACutOffNodeRefuses() throws Exception {
    String url = System.getenv("DATAPACT_TEST_PG_URL");
    if (url == null || url.isBlank()) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("TwoNodesTest needs DATAPACT_TEST_PG_URL with CI=true");
      }
      System.err.println("SKIPPED: TwoNodesTest on PostgreSQL needs DATAPACT_TEST_PG_URL");
      org.junit.jupiter.api.Assumptions.abort("no DATAPACT_TEST_PG_URL");
    }
    String schema = "n_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    try {
      run(new StoreConfig(url, null, null, schema));
    } finally {
      try (var c = DriverManager.getConnection(url);
          var s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void decisionsOnOneNodeRacingConsentChangesMadeOnTheOtherReplayFromItsOwnShard()
      throws Exception {
    StoreConfig store =
        new StoreConfig(
            "jdbc:h2:mem:r" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1",
            null,
            null,
            null);
    try (TestServer a = TestServer.demoOn(store);
        TestServer b = TestServer.demoOn(store)) {
      var alice = a.session();
      alice.login("alice");
      String consent = "/api/v1/me/consents/platform/ad_targeting";
      List<Long> onB =
          org.datapact.server.ledger.RacingDecisions.decideWhile(
              b,
              "ads",
              "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}",
              () -> {
                for (int i = 0; i < 8; i++) {
                  assertThat(alice.delete(consent).statusCode()).isEqualTo(204);
                  appliedOn(b, a); // B decides under each state for a while
                  assertThat(alice.put(consent).statusCode()).isBetween(200, 204);
                  appliedOn(b, a);
                }
              });
      java.util.Set<String> effects = new java.util.HashSet<>();
      try (var log = org.datapact.ledger.log.LogReader.open(b.ledgerDir.resolve("log"))) {
        for (long index : onB) {
          var r =
              org.datapact.server.ledger.LedgerReplay.replay(
                  log, b.ledger.subjects(), index, b.context.mapper(), 2);
          assertThat(r.outcome().name())
              .as("B's entry " + index + ": " + r.message())
              .isEqualTo("MATCH");
          effects.add(r.replayed().effect());
        }
      }
      assertThat(effects).as("B decided under both states").contains("allow", "deny");
    }
  }

  /** Waits until {@code b}'s decision point holds every consent change {@code a}'s holds. */
  private static void appliedOn(TestServer b, TestServer a) throws Exception {
    long made = a.context.decisions().snapshot().consentChanges();
    assertThat(
            ChangeFeed.await(
                java.time.Duration.ofSeconds(5),
                () -> b.context.decisions().snapshot().consentChanges(),
                n -> n >= made))
        .as("B applied A's change")
        .isGreaterThanOrEqualTo(made);
  }

  private static void run(StoreConfig store) throws Exception {
    try (TestServer a = TestServer.demoOn(store);
        TestServer b = TestServer.demoOn(store)) {
      assertThat(a.context.feed().nodeId()).isNotEqualTo(b.context.feed().nodeId());
      assertThat(b.partnerReadsProfile("streamflix", 1).statusCode()).isEqualTo(200);

      // alice revokes on node A; node B refuses within a second
      var alice = a.session();
      alice.login("alice");
      long revoked = System.nanoTime();
      assertThat(alice.delete("/api/v1/me/consents/streamflix/recommendations").statusCode())
          .isEqualTo(204);
      var refusedOnB = b.partnerReadsProfile("streamflix", 1);
      while (System.nanoTime() - revoked < 3_000_000_000L && refusedOnB.statusCode() == 200) {
        Thread.sleep(20);
        refusedOnB = b.partnerReadsProfile("streamflix", 1);
      }
      int status = refusedOnB.statusCode();
      long ms = (System.nanoTime() - revoked) / 1_000_000;
      System.out.println("TwoNodesTest: the revocation reached the other node in " + ms + " ms");
      assertThat(status).isEqualTo(403);
      assertThat(ms).as("propagation, ms").isLessThan(1_000);

      // and her grant on node B reaches node A
      var aliceOnB = b.session();
      aliceOnB.login("alice");
      assertThat(aliceOnB.put("/api/v1/me/consents/streamflix/recommendations").statusCode())
          .isEqualTo(200);
      long granted = System.nanoTime();
      while (System.nanoTime() - granted < 3_000_000_000L
          && (status = a.partnerReadsProfile("streamflix", 1).statusCode()) != 200) {
        Thread.sleep(20);
      }
      assertThat(status).isEqualTo(200);

      // both live: each node grants half of every rate limit
      long shared = System.nanoTime();
      while (System.nanoTime() - shared < 3_000_000_000L
          && (a.context.release().limitShare() != 2 || b.context.release().limitShare() != 2)) {
        Thread.sleep(20);
      }
      assertThat(a.context.release().limitShare()).isEqualTo(2);
      assertThat(b.context.release().limitShare()).isEqualTo(2);

      // one token, every node: the signing keys are shared
      String token = a.token("streamflix");
      String onB =
          "/api/v1/users/" + b.partnerId("streamflix", 1) + "/profile?purpose=recommendations";
      assertThat(b.getWithToken(token, onB).statusCode()).isEqualTo(200);
      // a rotation on A: A signs with the new key, B verifies it within a second, the old token
      // still works until it expires
      var oscar = a.session();
      oscar.login("oscar");
      var rotated = oscar.post("/api/v1/keys/access-tokens/rotate", "{}");
      assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
      String kid = TestServer.json(rotated).get("kid").asText();
      var keys = TestServer.json(oscar.get("/api/v1/keys/access-tokens"));
      assertThat(keys.get("signing").asText()).isEqualTo(kid);
      assertThat(keys.get("keys")).hasSizeGreaterThanOrEqualTo(2);
      assertThat(keys.toString()).doesNotContain("secret");
      String fresh = a.token("streamflix");
      assertThat(com.nimbusds.jwt.SignedJWT.parse(fresh).getHeader().getKeyID()).isEqualTo(kid);
      long rotatedAt = System.nanoTime();
      while (System.nanoTime() - rotatedAt < 3_000_000_000L
          && (status = b.getWithToken(fresh, onB).statusCode()) != 200) {
        Thread.sleep(20);
      }
      assertThat(status).isEqualTo(200);
      assertThat(b.getWithToken(token, onB).statusCode()).isEqualTo(200);

      // a partner's usage on one node adds up every node's calls (each writes its counts each
      // second)
      var streamflix = org.datapact.core.party.PartyId.of("streamflix");
      String endpoint = "GET /api/v1/users/{userId}/profile";
      long both = 0;
      long expected = -1;
      long usageAt = System.nanoTime();
      while (System.nanoTime() - usageAt < 4_000_000_000L && both != expected) {
        Thread.sleep(100);
        expected = 0;
        for (TestServer n : List.of(a, b)) {
          expected +=
              n.context
                  .release()
                  .usage()
                  .view(streamflix)
                  .calls()
                  .getOrDefault(endpoint, java.util.Map.of())
                  .getOrDefault("allow", 0L);
        }
        var usage = TestServer.json(a.getWithToken(a.token("streamflix"), "/api/v1/partner/usage"));
        both = usage.path("calls").path(endpoint).path("allow").asLong();
      }
      assertThat(expected).isPositive();
      assertThat(both).isEqualTo(expected);

      // bob's erasure on node A erases node B's ledger key for him too
      assertThat(b.partnerReadsProfile("streamflix", 2).statusCode()).isIn(200, 403);
      var bKeys = b.context.ledger().subjects();
      String bobOnB = bKeys.find(2).orElseThrow().pseudonym();
      var bob = a.session();
      bob.login("bob");
      assertThat(bob.post("/api/v1/me/erasure", "{}").statusCode()).isEqualTo(200);
      long erased = System.nanoTime();
      while (System.nanoTime() - erased < 3_000_000_000L && bKeys.userOf(bobOnB).isPresent()) {
        Thread.sleep(20);
      }
      assertThat(bKeys.userOf(bobOnB)).as("bob's old pseudonym on node B").isEmpty();

      // the regulator's figures on node A cover both shards: B counts its own when asked (the
      // sums lie between each shard's counts read before and after: an erasure's webhook
      // confirmation may still be arriving)
      var rita = a.session();
      rita.login("rita");
      long[] before = shardTotals(List.of(a, b));
      var all = TestServer.json(rita.get("/api/v1/ledger/activity"));
      long[] after = shardTotals(List.of(a, b));
      assertThat(all.get("shards")).hasSize(2);
      all.get("shards").forEach(sh -> assertThat(sh.get("current").asBoolean()).isTrue());
      long releasesAll = 0;
      for (var row : all.get("releases")) {
        releasesAll += row.get("count").asLong();
      }
      assertThat(all.get("entries").asLong()).isBetween(before[0], after[0]);
      assertThat(releasesAll).isPositive().isBetween(before[1], after[1]);

      // a transparency release published on A counts B's shard too (B counts its own on request)
      var oscarOnA = a.session();
      oscarOnA.login("oscar");
      long bothLogs = a.ledger.log().size() + b.ledger.log().size();
      var published = oscarOnA.post("/api/v1/transparency/releases", "{\"period\":\"2025\"}");
      assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
      assertThat(TestServer.json(published).get("logSize").asLong())
          .as("entries read, both shards")
          .isGreaterThanOrEqualTo(bothLogs);

      // the regulator on node A reads B's shard entry by entry: each answer is what B answers
      // itself (B opens the personal fields with its own keys), relayed through the store
      String bShard = b.ledger.origin();
      String shardOfB =
          "&shard=" + java.net.URLEncoder.encode(bShard, java.nio.charset.StandardCharsets.UTF_8);
      var ritaOnB = b.session();
      ritaOnB.login("rita");
      var bPage = ritaOnB.get("/api/v1/ledger/entries?from=0&limit=100");
      var relayedPage = rita.get("/api/v1/ledger/entries?from=0&limit=100" + shardOfB);
      assertThat(relayedPage.statusCode()).as(relayedPage.body()).isEqualTo(200);
      assertThat(TestServer.json(relayedPage).get("entries"))
          .isEqualTo(TestServer.json(bPage).get("entries"));
      assertThat(
              TestServer.json(rita.get("/api/v1/ledger/entries?from=0&limit=1" + shardOfB))
                  .get("next")
                  .asText())
          .as("the next page of B's shard")
          .endsWith(shardOfB);
      assertThat(
              TestServer.json(rita.get("/api/v1/ledger/entries?from=0&limit=100")).get("entries"))
          .as("A's own shard is another log")
          .isNotEqualTo(TestServer.json(bPage).get("entries"));
      long decision = -1;
      for (long from = 0; decision < 0 && from < b.ledger.log().size(); from += 100) {
        for (var e :
            TestServer.json(ritaOnB.get("/api/v1/ledger/entries?from=" + from + "&limit=100"))
                .get("entries")) {
          if (decision < 0 && "decision".equals(e.path("type").asText())) {
            decision = e.get("index").asLong();
          }
        }
      }
      assertThat(decision).as("a decision in B's shard").isNotNegative();
      String entryPath = "/api/v1/ledger/entries/" + decision;
      assertThat(TestServer.json(rita.get(entryPath + "?x=1" + shardOfB)))
          .isEqualTo(TestServer.json(ritaOnB.get(entryPath)));
      var replayed = rita.get(entryPath + "/replay?x=1" + shardOfB);
      assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
      assertThat(TestServer.json(replayed))
          .isEqualTo(TestServer.json(ritaOnB.get(entryPath + "/replay")));
      // B's shard holds what B decided on (the party list, agreement versions and generated history
      // committed to each shard at start): B's first decision replays from it alone
      assertThat(TestServer.json(replayed).get("outcome").asText())
          .as(replayed.body())
          .isEqualTo("MATCH");
      // and B's refusal after alice revoked on A replays too: B recorded her revocation in its own
      // shard before applying it
      long refusal =
          Long.parseLong(refusedOnB.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
      assertThat(refusedOnB.headers().firstValue("X-DataPact-Ledger-Shard")).hasValue(bShard);
      var replayedRefusal =
          TestServer.json(ritaOnB.get("/api/v1/ledger/entries/" + refusal + "/replay"));
      assertThat(replayedRefusal.get("outcome").asText())
          .as(replayedRefusal.toString())
          .isEqualTo("MATCH");
      assertThat(replayedRefusal.at("/recorded/effect").asText()).isEqualTo("deny");
      var lastConsent =
          replayedRefusal
              .at("/inputs/consents")
              .get(replayedRefusal.at("/inputs/consents").size() - 1);
      assertThat(lastConsent.get("action").asText()).isEqualTo("revoke");
      var beyond =
          rita.get("/api/v1/ledger/entries/" + (b.ledger.log().size() + 1_000) + "?x=1" + shardOfB);
      assertThat(beyond.statusCode()).isEqualTo(404);
      assertThat(beyond.body()).contains("ledger shard " + bShard);
      var unknown = rita.get(entryPath + "?shard=no-such-shard");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      var bundle = rita.get("/api/v1/ledger/bundle?period=2025" + shardOfB);
      assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(200);
      var verified =
          org.datapact.server.ledger.AuditorBundle.verify(
              TestServer.json(bundle),
              org.datapact.ledger.checkpoint.Notes.parseVerifierKey(b.ledger.keys().verifierKey()),
              a.context.mapper());
      assertThat(verified.ok()).as(verified.message()).isTrue();
      assertThat(
              org.datapact.server.ledger.AuditorBundle.verify(
                      TestServer.json(bundle),
                      org.datapact.ledger.checkpoint.Notes.parseVerifierKey(
                          a.ledger.keys().verifierKey()),
                      a.context.mapper())
                  .ok())
          .as("signed with B's key, not A's")
          .isFalse();
      long untaken =
          a.db
              .jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT COUNT(*) FROM shard_read").mapTo(Long.class).one());
      assertThat(untaken).as("every answer taken, none left in the store").isZero();

      // node B is cut off from the changes under a partner's load on alice, and alice revokes on
      // node A: B may serve her only within the staleness bound of its last poll, never after
      String tokenOnB = b.token("streamflix");
      String alicePath =
          "/api/v1/users/" + b.partnerId("streamflix", 1) + "/profile?purpose=recommendations";
      java.util.concurrent.ConcurrentLinkedQueue<long[]> answers =
          new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread load =
          new Thread(
              () -> {
                while (!stop.get()) {
                  // the time a request is sent: one sent after the bound is decided after it, while
                  // one sent before may be decided in time and answered late (its entry's sync)
                  long sent = System.nanoTime();
                  try {
                    int st = b.getWithToken(tokenOnB, alicePath).statusCode();
                    answers.add(new long[] {sent, st});
                  } catch (Exception e) {
                    answers.add(new long[] {sent, -1});
                  }
                }
              });
      load.start();
      Thread.sleep(300);
      long cut = System.nanoTime();
      b.context.feed().cutOffForTest();
      Thread.sleep(200);
      assertThat(alice.delete("/api/v1/me/consents/streamflix/recommendations").statusCode())
          .isEqualTo(204);
      Thread.sleep(ChangeFeed.MAX_STALENESS.toMillis() + 1_000);
      stop.set(true);
      load.join(10_000);
      long bound = cut + ChangeFeed.MAX_STALENESS.toNanos() + 150_000_000L; // a poll's length
      long late = answers.stream().filter(x -> x[0] > bound && x[1] == 200).count();
      long refusedUnderLoad = answers.stream().filter(x -> x[0] > bound && x[1] == 503).count();
      System.out.println(
          "TwoNodesTest: under load, the cut-off node answered "
              + answers.size()
              + " reads; after the staleness bound: "
              + refusedUnderLoad
              + " refused, "
              + late
              + " served");
      assertThat(late).as("stale allows served after the bound").isZero();
      assertThat(answers.stream().filter(x -> x[1] != 200 && x[1] != 503)).isEmpty();
      assertThat(refusedUnderLoad).isPositive();
      var refused = b.partnerReadsProfile("streamflix", 1);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(refused.body()).contains("has not seen the other nodes' policy changes");
      var ready = b.session().get("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("has not seen the other nodes");
      // a denial needs no current view: it is still answered
      assertThat(b.partnerReadsProfile("streamflix", 4).statusCode()).isEqualTo(403);
      // node A, current, knows alice's revocation
      assertThat(a.partnerReadsProfile("streamflix", 1).statusCode()).isEqualTo(403);
      // a shard whose node hears no more asks cannot be read: refused, naming the shard
      var cutOff = rita.get(entryPath + "?x=1" + shardOfB);
      assertThat(cutOff.statusCode()).isEqualTo(503);
      assertThat(cutOff.body()).contains("ledger shard " + bShard);

      // a node that was not running while alice changed her consents on A and B records those
      // changes in its own shard at start: its refusal replays from its shard alone
      try (TestServer c = TestServer.demoOn(store)) {
        var refusedOnC = c.partnerReadsProfile("streamflix", 1);
        assertThat(refusedOnC.statusCode()).isEqualTo(403);
        long onC =
            Long.parseLong(
                refusedOnC.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
        var ritaOnC = c.session();
        ritaOnC.login("rita");
        var replayedOnC = TestServer.json(ritaOnC.get("/api/v1/ledger/entries/" + onC + "/replay"));
        assertThat(replayedOnC.get("outcome").asText())
            .as(replayedOnC.toString())
            .isEqualTo("MATCH");
        List<String> actions = new java.util.ArrayList<>();
        replayedOnC
            .at("/inputs/consents")
            .forEach(
                x -> {
                  if (x.get("party").asText().equals("streamflix")) {
                    actions.add(x.get("action").asText());
                  }
                });
        assertThat(actions).endsWith("revoke", "grant", "revoke"); // A, then B, then A
      }
    }
  }

  /** Each node's own shard counted, added up: {entries, releases}. */
  private static long[] shardTotals(List<TestServer> nodes) throws Exception {
    long[] out = new long[2];
    for (TestServer n : nodes) {
      var one = n.session();
      one.login("rita");
      var mine = TestServer.json(one.get("/api/v1/ledger/activity?shard=this"));
      out[0] += mine.get("entries").asLong();
      for (var row : mine.get("releases")) {
        out[1] += row.get("count").asLong();
      }
    }
    return out;
  }
}
