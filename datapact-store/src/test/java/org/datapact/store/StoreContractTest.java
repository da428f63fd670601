package org.datapact.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.datapact.core.party.PartyId;
import org.datapact.core.security.Secret;
import org.datapact.core.security.SecretHasher;
import org.datapact.core.user.UserId;
import org.datapact.core.world.ConsoleRole;
import org.datapact.core.world.DemoWorldGenerator;
import org.datapact.core.world.ProgressListener;
import org.datapact.core.world.WorldSpec;
import org.datapact.store.party.PartyRepository;
import org.datapact.store.user.UserRepository;
import org.datapact.store.world.WorldStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same store behaviour, checked on every supported database. */
abstract class StoreContractTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2019-06-01T00:00:00Z"), ZoneOffset.UTC);
  final DemoWorldGenerator generator = new DemoWorldGenerator(new SecretHasher(10_000));
  StoreConfig config;
  Database db;

  abstract StoreConfig newStore();

  @BeforeEach
  void open() throws Exception {
    config = newStore();
    db = Database.open(config);
  }

  @AfterEach
  void close() throws Exception {
    if (db != null) {
      db.close();
    }
    TestStores.dropSchema(config);
  }

  @Test
  void everyNodeGetsTheFirstStoredSharedSecretAndTheNewestKeySigns() {
    var keys = new org.datapact.store.cluster.SigningKeyStore(db);
    byte[] first = new byte[32];
    byte[] second = new byte[32];
    second[0] = 1;
    assertThat(keys.sharedSecret("partner-ids", "partner-ids", first, CLOCK.instant()))
        .isEqualTo(first);
    assertThat(keys.sharedSecret("partner-ids", "partner-ids", second, CLOCK.instant()))
        .isEqualTo(first); // a second node, or one that raced the first, gets the stored one
    Instant t = CLOCK.instant();
    String a = keys.rotate("access-token", t, t.plusSeconds(900));
    String b = keys.rotate("access-token", t.plusSeconds(1), t.plusSeconds(901));
    var live = keys.live("access-token", t.plusSeconds(2));
    assertThat(live).extracting(k -> k.kid()).containsExactly(b, a); // newest first: it signs
    assertThat(keys.live("access-token", t.plusSeconds(902)))
        .extracting(k -> k.kid())
        .containsExactly(b); // a retired key no longer verifies
  }

  @Test
  void usageCountsAreWrittenPerNodeAndSummedOverTheOthers() {
    var usage = new org.datapact.store.cluster.UsageStore(db);
    var read = "GET /api/v1/users/{userId}/profile";
    usage.write(
        "node-a",
        java.util.List.of(
            new org.datapact.store.cluster.UsageStore.Count("streamflix", read, "allow", 3)));
    usage.write(
        "node-a",
        java.util.List.of(
            new org.datapact.store.cluster.UsageStore.Count("streamflix", read, "allow", 5)));
    usage.write(
        "node-b",
        java.util.List.of(
            new org.datapact.store.cluster.UsageStore.Count("streamflix", read, "allow", 2)));
    usage.write(
        "node-c",
        java.util.List.of(
            new org.datapact.store.cluster.UsageStore.Count("tunely", read, "allow", 9)));
    assertThat(usage.others("streamflix", "node-b").get(read).get("allow")).isEqualTo(5);
    assertThat(usage.others("streamflix", "node-x").get(read).get("allow")).isEqualTo(7);
  }

  @Test
  void policyChangesAreReadPerNodeInTheirOrder() {
    var cluster = new org.datapact.store.cluster.ClusterStore(db);
    cluster.register("node-a", CLOCK.instant());
    cluster.register("node-b", CLOCK.instant());
    cluster.publish("node-a", 1, "party", "cinemo|partner", CLOCK.instant());
    cluster.publish("node-a", 2, "filing", "tunely|recommendation_sends|2026-10", CLOCK.instant());
    cluster.publish("node-b", 1, "keys", "k1", CLOCK.instant());
    assertThat(cluster.nodes()).extracting(n -> n.id()).containsExactly("node-a", "node-b");
    assertThat(cluster.policyAfter("node-a", 1, 10))
        .extracting(c -> c.kind())
        .containsExactly("filing");
    assertThat(cluster.heads().get("node-a")[1]).isEqualTo(2);
    assertThat(cluster.heads().get("node-b")[1]).isEqualTo(1);
  }

  @Test
  void headsOnlyRiseAndErasuresAreAppliedOncePerShard() {
    var cluster = new org.datapact.store.cluster.ClusterStore(db);
    cluster.register("node-a", CLOCK.instant());
    cluster.committedThrough("node-a", 5);
    cluster.committedThrough("node-a", 3); // late: never lowers the head
    assertThat(cluster.nodes().get(0).head()).isEqualTo(5);

    cluster.publish("node-a", 6, "erasure", "2|node-a", CLOCK.instant());
    cluster.publish("node-a", 7, "keys", "k2", CLOCK.instant());
    cluster.publish("node-a", 8, "erasure", "3|node-a", CLOCK.instant());
    assertThat(cluster.erasuresNotAppliedBy("shard-x"))
        .extracting(e -> e.detail())
        .containsExactly("2|node-a", "3|node-a");
    cluster.erasureApplied("shard-x", "node-a", 6);
    cluster.erasureApplied("shard-x", "node-a", 6); // idempotent
    assertThat(cluster.erasuresNotAppliedBy("shard-x"))
        .extracting(e -> e.seq())
        .containsExactly(8L);
    assertThat(cluster.erasuresNotAppliedBy("shard-y")).hasSize(2);
  }

  @Test
  void shardsAndTheirActivityAreListedByOrigin() {
    var cluster = new org.datapact.store.cluster.ClusterStore(db);
    var at = CLOCK.instant();
    cluster.shard(
        new org.datapact.store.cluster.ClusterStore.Shard(
            "datapact/ledger/bb", "datapact-ledger+bb+KEY", "node-b", 0, null, at));
    cluster.shard(
        new org.datapact.store.cluster.ClusterStore.Shard(
            "datapact/ledger/aa", "datapact-ledger+aa+KEY", "node-a", 3, "note", at));
    cluster.shard(
        new org.datapact.store.cluster.ClusterStore.Shard(
            "datapact/ledger/bb", "datapact-ledger+bb+KEY", "node-b2", 9, "note2", at));
    assertThat(cluster.shards())
        .extracting(s -> s.origin() + "@" + s.nodeId() + ":" + s.treeSize())
        .containsExactly("datapact/ledger/aa@node-a:3", "datapact/ledger/bb@node-b2:9");
    cluster.writeActivity(
        new org.datapact.store.cluster.ClusterStore.ShardActivity(
            "datapact/ledger/aa", "node-a", 3, "{\"entries\":3}", at));
    cluster.writeActivity(
        new org.datapact.store.cluster.ClusterStore.ShardActivity(
            "datapact/ledger/aa", "node-a", 4, "{\"entries\":4}", at));
    assertThat(cluster.activities())
        .singleElement()
        .satisfies(a -> assertThat(a.entries()).isEqualTo(4));
  }

  @Test
  void migratesAnEmptyDatabaseAndHoldsNoWorld() {
    assertThat(new WorldStore(db).current()).isEmpty();
    assertThat(new UserRepository(db).count()).isZero();
  }

  @Test
  void migrationIsIdempotentOnReopen() throws Exception {
    db.close();
    db = Database.open(config);
    assertThat(new WorldStore(db).current()).isEmpty();
  }

  @Test
  void loadsTheWorldAndReadsItBack() throws Exception {
    WorldStore worlds = new WorldStore(db);
    var loaded = worlds.ensure(generator, new WorldSpec(42, 1_000), ProgressListener.NONE, CLOCK);
    assertThat(loaded.generated()).isTrue();
    assertThat(worlds.current())
        .hasValueSatisfying(
            m -> {
              assertThat(m.seed()).isEqualTo(42);
              assertThat(m.userCount()).isEqualTo(1_000);
              assertThat(m.generatedAt()).isEqualTo(CLOCK.instant());
            });
    UserRepository users = new UserRepository(db);
    assertThat(users.count()).isEqualTo(1_000);
    var alice = users.findByHandle("alice").orElseThrow();
    assertThat(alice.country().value()).isEqualTo("DE");
    assertThat(users.friends(alice.id(), 0, 1_000))
        .extracting(u -> u.handle())
        .contains("dave", "bob");
    assertThat(users.friendCount(alice.id()))
        .isEqualTo(users.friends(alice.id(), 0, 10_000).size());
    assertThat(users.threadCount(UserId.of(2))).isGreaterThanOrEqualTo(2);
    assertThat(users.countByCountry())
        .extracting(UserRepository.CountryCount::country)
        .contains("US", "DE", "BR");
  }

  /** A user's revocation of streamflix's recommendations, now. */
  private static org.datapact.core.consent.ConsentChange recommendationsRevoked(long user) {
    return new org.datapact.core.consent.ConsentChange(
        UserId.of(user),
        org.datapact.core.party.PartyId.of("streamflix"),
        org.datapact.core.consent.ConsentTopic.of(org.datapact.core.policy.Purpose.RECOMMENDATIONS),
        false,
        CLOCK.instant(),
        null,
        org.datapact.core.consent.ConsentBasis.EXPLICIT,
        "test");
  }

  private static org.datapact.core.world.GeneratedPolicy newGeneratedPolicy() {
    return new org.datapact.core.world.GeneratedPolicy(
        org.datapact.core.jurisdiction.Jurisdictions.standard());
  }

  /** Generates a world of {@code users} into the store, feeding {@code generated} as it writes. */
  private org.datapact.store.policy.PolicyStore generate(
      int users, org.datapact.core.world.GeneratedPolicy generated) throws Exception {
    new WorldStore(db)
        .ensure(generator, new WorldSpec(42, users), ProgressListener.NONE, CLOCK, generated);
    return new org.datapact.store.policy.PolicyStore(db);
  }

  @Test
  void theSnapshotAndHistoryKeptAsTheWorldIsWrittenAreWhatItsRowsGive() throws Exception {
    var generated = newGeneratedPolicy();
    var policies = generate(1_000, generated);
    java.util.List<org.datapact.core.consent.ConsentChange> read = new java.util.ArrayList<>();
    var loaded =
        policies.loadSnapshot(
            org.datapact.core.jurisdiction.Jurisdictions.standard(),
            policies.partyKinds(),
            policies.agreements(),
            read::add);
    var records = new org.datapact.store.ledger.LedgerRecords(db, "shard-a");
    java.util.List<org.datapact.store.ledger.LedgerRecords.StoredConsent> rows =
        new java.util.ArrayList<>();
    records.forEachUncommittedConsent(rows::add);

    var taken =
        policies.generated(generated, policies.partyKinds(), policies.agreements()).orElseThrow();

    // the hash names the agreements and the whole consent history, change by change
    assertThat(taken.snapshot().policyHash()).isEqualTo(loaded.policyHash());
    assertThat(taken.snapshot().consentChanges())
        .isEqualTo(loaded.consentChanges())
        .isGreaterThan(1_000);
    assertThat(taken.snapshot().partyKinds()).isEqualTo(loaded.partyKinds());
    for (long u = 1; u <= 1_001; u++) {
      assertThat(taken.snapshot().countryOf(UserId.of(u)))
          .isEqualTo(loaded.countryOf(UserId.of(u)));
    }
    // change i is row firstConsentId + i: the ledger's backfill streams what it would read
    assertThat(taken.history()).containsExactlyElementsOf(read);
    java.util.List<org.datapact.store.ledger.LedgerRecords.StoredConsent> streamed =
        new java.util.ArrayList<>();
    records.forEachUncommittedConsent(taken.history(), taken.firstConsentId(), streamed::add);
    assertThat(streamed).hasSize(read.size()).containsExactlyElementsOf(rows);
    // taken once: a second start, or a second look, reads the store
    assertThat(policies.generated(generated, policies.partyKinds(), policies.agreements()))
        .isEmpty();
  }

  @Test
  void aConsentChangeWrittenBesideTheGeneratorSendsTheSnapshotBackToTheStore() throws Exception {
    var generated = newGeneratedPolicy();
    var policies = generate(300, generated);
    // another node's change, made while this one generated: the generated policy lacks it
    policies.appendConsent(recommendationsRevoked(7), 5, "node-b", 1, "shard-b");

    assertThat(policies.generated(generated, policies.partyKinds(), policies.agreements()))
        .isEmpty();
  }

  @Test
  void aWorldAlreadyInTheStoreFeedsNoGeneratedPolicy() throws Exception {
    new WorldStore(db).ensure(generator, new WorldSpec(42, 300), ProgressListener.NONE, CLOCK);
    var generated = newGeneratedPolicy();
    var loaded =
        new WorldStore(db)
            .ensure(generator, new WorldSpec(42, 300), ProgressListener.NONE, CLOCK, generated);
    var policies = new org.datapact.store.policy.PolicyStore(db);

    assertThat(loaded.generated()).isFalse();
    assertThat(policies.generated(generated, policies.partyKinds(), policies.agreements()))
        .isEmpty();
  }

  @Test
  void theSnapshotsReadHandsTheAdsIndexTheSameHistoryTheAdsStoreReads() throws Exception {
    new WorldStore(db).ensure(generator, new WorldSpec(42, 1_000), ProgressListener.NONE, CLOCK);
    var ads = new org.datapact.store.ads.AdsStore(db);
    java.util.List<org.datapact.core.consent.ConsentChange> tapped = new java.util.ArrayList<>();
    java.util.List<org.datapact.core.consent.ConsentChange> all = new java.util.ArrayList<>();
    new org.datapact.store.policy.PolicyStore(db)
        .loadSnapshot(
            org.datapact.core.jurisdiction.Jurisdictions.standard(),
            c -> {
              all.add(c);
              if (c.topic().equals(org.datapact.store.ads.AdsStore.AD_TARGETING)) {
                tapped.add(c);
              }
            });
    assertThat(all).hasSizeGreaterThan(tapped.size());
    assertThat(tapped).isNotEmpty();
    assertThat(ads.events(tapped)).containsExactlyElementsOf(ads.events());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ads.events(all))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void storesAGroupOfRecommendationsInOneTransactionWithTheirIdsInOrder() throws Exception {
    new WorldStore(db).ensure(generator, new WorldSpec(42, 1_000), ProgressListener.NONE, CLOCK);
    var data = new org.datapact.store.partner.PartnerData(db);
    PartyId streamflix = PartyId.of("streamflix");
    java.util.List<org.datapact.store.partner.PartnerData.Recommendation> sends =
        new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      java.util.List<org.datapact.store.partner.PartnerData.Link> links =
          new java.util.ArrayList<>();
      for (int k = 0; k < i % 3; k++) { // none, one or two links
        links.add(
            new org.datapact.store.partner.PartnerData.Link(
                String.format("tok%04d%015d", i, k), "https://streamflix.example/" + i + "/" + k));
      }
      sends.add(
          new org.datapact.store.partner.PartnerData.Recommendation(
              streamflix,
              UserId.of(1),
              UserId.of(2 + i % 5),
              "A recommendation via streamflix",
              "body " + i,
              links,
              CLOCK.instant(),
              1_000 + i));
    }
    var ids = data.sendRecommendations(sends);
    assertThat(ids).hasSize(40).doesNotHaveDuplicates();
    assertThat(ids)
        .allSatisfy(
            id ->
                assertThat(id).isGreaterThan(org.datapact.store.partner.PartnerData.SENT_ID_BASE));
    for (int i = 0; i < 40; i++) {
      long id = ids.get(i);
      assertThat(data.messages(id, 10))
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.senderId()).isEqualTo(1);
                assertThat(m.viaParty()).isEqualTo("streamflix");
              });
      assertThat(data.messages(id, 10).get(0).body()).isEqualTo("body " + i);
      int n = i;
      long links =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT COUNT(*) FROM recommendation_link WHERE thread_id = ?"
                                  + " AND ledger_index = ? AND recipient_id = ?")
                          .bind(0, id)
                          .bind(1, 1_000 + n)
                          .bind(2, 2 + n % 5)
                          .mapTo(Long.class)
                          .one());
      assertThat(links).isEqualTo(i % 3);
    }
    // a group with a row the store refuses is written not at all
    var clash =
        java.util.List.of(
            sends.get(0), sends.get(2)); // the 3rd send's link token is stored already: unique
    long before = messageCount();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> data.sendRecommendations(clash))
        .isInstanceOf(IllegalStateException.class);
    assertThat(messageCount()).isEqualTo(before);
  }

  private long messageCount() {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM message").mapTo(Long.class).one());
  }

  @Test
  void eachShardRecordsWhatItHoldsAndTheFirstToStartAdoptsTheRecordsFromBefore() {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO ledger_shard_commit (shard, kind, item, digest, entry_index)"
                            + " VALUES ('', 'parties', 'all', 'd0', 3)")
                    .execute());
    var a = new org.datapact.store.ledger.LedgerRecords(db, "shard-a");
    var b = new org.datapact.store.ledger.LedgerRecords(db, "shard-b");
    assertThat(a.committedDigest("parties", "all")).isEmpty();
    assertThat(a.adoptUnsharded()).isEqualTo(1);
    assertThat(b.adoptUnsharded()).isZero(); // adopted once, by the first
    assertThat(a.committedDigest("parties", "all")).hasValue("d0");
    assertThat(b.committedDigest("parties", "all")).isEmpty();
    b.markCommitted("parties", "all", "d1", 0);
    a.markCommitted("parties", "all", "d2", 9);
    assertThat(a.committedDigest("parties", "all")).hasValue("d2");
    assertThat(b.committedDigest("parties", "all")).hasValue("d1");
    b.consentsCommittedThrough(40, 41);
    assertThat(b.committedDigest("consent", "consent-watermark")).hasValue("40");
    assertThat(a.committedDigest("consent", "consent-watermark")).isEmpty();
    assertThat(a.adoptUnsharded()).isZero();
  }

  @Test
  void aShardListsTheNodesConsentChangesItDoesNotHoldYet() {
    var policies = new org.datapact.store.policy.PolicyStore(db);
    var change = recommendationsRevoked(1);
    policies.appendConsents(java.util.List.of(change)); // generated: not a node's
    policies.appendConsent(change, 5, "node-a", 1, "shard-a");
    policies.appendConsent(change, 6, "node-a", 2, "shard-a");
    policies.appendConsent(change, 7, "node-b", 1, "shard-c");
    var a = new org.datapact.store.ledger.LedgerRecords(db, "shard-a");
    var b = new org.datapact.store.ledger.LedgerRecords(db, "shard-b");
    java.util.List<Long> notOnA = new java.util.ArrayList<>();
    a.forEachConsentNotRecorded(sc -> notOnA.add(sc.id()));
    java.util.List<Long> notOnB = new java.util.ArrayList<>();
    b.forEachConsentNotRecorded(sc -> notOnB.add(sc.id()));
    assertThat(notOnA).hasSize(1); // node-b's
    assertThat(notOnB).hasSize(3).contains(notOnA.get(0)); // every node's, in order
    assertThat(notOnB).isSorted();
    assertThat(b.recordedAmong(notOnB)).isEmpty();
    b.consentsRecorded(notOnB.subList(0, 2));
    assertThat(b.recordedAmong(notOnB)).containsExactlyInAnyOrderElementsOf(notOnB.subList(0, 2));
    java.util.List<Long> stillNotOnB = new java.util.ArrayList<>();
    b.forEachConsentNotRecorded(sc -> stillNotOnB.add(sc.id()));
    assertThat(stillNotOnB).containsExactly(notOnB.get(2));
  }

  @Test
  void aShardsAnswerToAReadIsTakenOnceAndAnUntakenOneIsDroppedAfterFiveMinutes() {
    var cluster = new org.datapact.store.cluster.ClusterStore(db);
    Instant t0 = CLOCK.instant();
    String big = "[" + "\"x\",".repeat(200_000) + "\"y\"]"; // an answer of more than 1 MB
    cluster.answerRead(
        "r1", new org.datapact.store.cluster.ClusterStore.ShardRead("shard-b", 200, big), t0);
    cluster.answerRead(
        "r2",
        new org.datapact.store.cluster.ClusterStore.ShardRead("shard-b", 404, "{}"),
        t0.plusSeconds(60));
    assertThat(cluster.takeRead("r0")).isEmpty();
    var one = cluster.takeRead("r1").orElseThrow();
    assertThat(one.origin()).isEqualTo("shard-b");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body()).isEqualTo(big);
    assertThat(cluster.takeRead("r1")).isEmpty(); // taken once
    cluster.answerRead(
        "r3",
        new org.datapact.store.cluster.ClusterStore.ShardRead("shard-b", 200, "{}"),
        t0.plusSeconds(60 + 301));
    assertThat(cluster.takeRead("r2")).isEmpty(); // nobody took it within five minutes
    assertThat(cluster.takeRead("r3")).isPresent();
  }

  @Test
  void oneNodeAtATimeClaimsTheAdsSimulationAndAStoppedNodesClaimIsTakenOver() {
    var ads = new org.datapact.store.ads.AdsStore(db);
    Instant at = CLOCK.instant();
    assertThat(ads.claimSimulation("node-a", at, n -> true)).isTrue();
    assertThat(ads.claimSimulation("node-a", at, n -> true)).as("its own claim").isTrue();
    assertThat(ads.claimSimulation("node-b", at, n -> true)).as("node-a is alive").isFalse();
    assertThat(ads.claimSimulation("node-b", at, n -> !n.equals("node-a")))
        .as("node-a stopped being seen")
        .isTrue();
    assertThat(ads.claimSimulation("node-a", at, n -> true)).isFalse();
    ads.releaseSimulation("node-a"); // not the holder: nothing changes
    assertThat(ads.claimSimulation("node-c", at, n -> true)).isFalse();
    ads.releaseSimulation("node-b");
    assertThat(ads.claimSimulation("node-c", at, n -> true)).isTrue();
  }

  @Test
  void friendsPageByKeyset() throws Exception {
    new WorldStore(db).ensure(generator, new WorldSpec(42, 1_000), ProgressListener.NONE, CLOCK);
    UserRepository users = new UserRepository(db);
    var first = users.friends(UserId.of(1), 0, 3);
    var second = users.friends(UserId.of(1), first.get(2).id().value(), 3);
    assertThat(first).hasSize(3);
    assertThat(second.get(0).id().value()).isGreaterThan(first.get(2).id().value());
  }

  @Test
  void storesPartiesClientsAndConsoleAccountsWithHashedSecrets() throws Exception {
    var loaded =
        new WorldStore(db).ensure(generator, new WorldSpec(42, 200), ProgressListener.NONE, CLOCK);
    PartyRepository parties = new PartyRepository(db);
    assertThat(parties.all())
        .extracting(p -> p.id().value())
        .containsExactly("ads", "ranking", "seekr", "streamflix", "tunely", "watch");
    var streamflix =
        loaded.cast().clients().stream()
            .filter(c -> c.party().value().equals("streamflix"))
            .findFirst()
            .orElseThrow();
    var stored = parties.client(streamflix.clientId()).orElseThrow();
    assertThat(SecretHasher.verify(streamflix.clientSecret(), stored.secretHash())).isTrue();
    assertThat(SecretHasher.verify(Secret.of("wrong"), stored.secretHash())).isFalse();
    assertThat(parties.clientIds(PartyId.of("streamflix"))).containsExactly(streamflix.clientId());
    assertThat(parties.consoleAccount("sam"))
        .hasValueSatisfying(
            a -> {
              assertThat(a.role()).isEqualTo(ConsoleRole.PARTNER);
              assertThat(a.party()).isEqualTo(PartyId.of("streamflix"));
            });
    assertThat(parties.consoleAccount("nobody")).isEmpty();
  }

  @Test
  void keepsAnExistingWorldWithTheSameSpecAndReplacesOneWithAnother() throws Exception {
    WorldStore worlds = new WorldStore(db);
    worlds.ensure(generator, new WorldSpec(42, 500), ProgressListener.NONE, CLOCK);
    String digest = worlds.digest();
    assertThat(
            worlds
                .ensure(generator, new WorldSpec(42, 500), ProgressListener.NONE, CLOCK)
                .generated())
        .isFalse();
    assertThat(worlds.digest()).isEqualTo(digest);
    assertThat(
            worlds
                .ensure(generator, new WorldSpec(43, 500), ProgressListener.NONE, CLOCK)
                .generated())
        .isTrue();
    assertThat(worlds.digest()).isNotEqualTo(digest);
    assertThat(new UserRepository(db).count()).isEqualTo(500);
  }

  @Test
  void storesTheAgreementTimelineAndTheConsentHistory() throws Exception {
    new WorldStore(db).ensure(generator, new WorldSpec(42, 500), ProgressListener.NONE, CLOCK);
    var policies = new org.datapact.store.policy.PolicyStore(db);
    assertThat(policies.agreements())
        .containsExactlyInAnyOrderElementsOf(org.datapact.core.world.DemoPolicy.agreements());
    var alice = UserId.of(1);
    assertThat(policies.current(alice))
        .extracting(c -> c.party().value() + ":" + c.topic().wire())
        .contains("streamflix:recommendations", "platform:ad_targeting");
    var revoke =
        org.datapact.core.consent.ConsentChange.revoke(
            alice,
            PartyId.of("streamflix"),
            org.datapact.core.consent.ConsentTopic.of(
                org.datapact.core.policy.Purpose.RECOMMENDATIONS),
            CLOCK.instant(),
            "test");
    policies.appendConsents(java.util.List.of(revoke));
    assertThat(policies.current(alice))
        .extracting(c -> c.party().value() + ":" + c.topic().wire())
        .doesNotContain("streamflix:recommendations");
    assertThat(policies.history(alice)).last().isEqualTo(revoke);
    assertThat(policies.history(alice)).anySatisfy(c -> assertThat(c.granted()).isTrue());
  }

  @Test
  void buildsTheDecisionSnapshotFromTheStore() throws Exception {
    new WorldStore(db).ensure(generator, new WorldSpec(42, 500), ProgressListener.NONE, CLOCK);
    var policies = new org.datapact.store.policy.PolicyStore(db);
    var snapshot = policies.loadSnapshot(org.datapact.core.jurisdiction.Jurisdictions.standard());
    assertThat(snapshot.policyHash())
        .isEqualTo(
            policies
                .loadSnapshot(org.datapact.core.jurisdiction.Jurisdictions.standard())
                .policyHash());
    var now = java.time.Instant.parse("2026-11-29T00:00:00Z");
    var scope = org.datapact.core.policy.Scope.FRIENDS_LIST;
    var recs = org.datapact.core.policy.Purpose.RECOMMENDATIONS;
    assertThat(
            snapshot
                .decide(
                    org.datapact.core.decision.DecisionRequest.about(
                        PartyId.of("streamflix"), UserId.of(1), scope, recs, now))
                .allowed())
        .isTrue();
    assertThat(
            snapshot
                .decide(
                    org.datapact.core.decision.DecisionRequest.about(
                        PartyId.of("streamflix"), UserId.of(4), scope, recs, now))
                .allowed())
        .isFalse();
    assertThat(
            snapshot
                .decide(
                    org.datapact.core.decision.DecisionRequest.about(
                        PartyId.of("seekr"), UserId.of(1), scope, recs, now))
                .allowed())
        .isFalse();
  }

  @Test
  void sameSeedGivesTheSameStoredWorldInAnotherStore() throws Exception {
    WorldStore worlds = new WorldStore(db);
    worlds.ensure(generator, new WorldSpec(42, 800), ProgressListener.NONE, CLOCK);
    try (Database other = Database.open(TestStores.h2())) {
      WorldStore otherWorlds = new WorldStore(other);
      otherWorlds.ensure(generator, new WorldSpec(42, 800), ProgressListener.NONE, CLOCK);
      assertThat(otherWorlds.digest()).isEqualTo(worlds.digest());
    }
  }
}
