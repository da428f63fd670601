package org.datapact.server.ads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.LocalDate;
import org.datapact.core.ads.DeliverySimulator;
import org.datapact.core.world.ProgressListener;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ads business over HTTP, on a world of 3,000 users: the attacker's cases first — another
 * advertiser reaching for streamflix's signals, {@code watch} asking for any segment, a size that
 * would single someone out, a partner acting for another advertiser — then bad input, then the
 * figures of a simulation adding up to the cent.
 */
class AdsApiTest {
  static TestServer server;
  static String ads;

  /** Any streamflix viewing signal among four genres: a few hundred users in this world. */
  static final String STREAMFLIX_VIEWERS =
      "{\"or\":[{\"watched\":{\"partner\":\"streamflix\",\"genre\":\"drama\"}},"
          + "{\"watched\":{\"partner\":\"streamflix\",\"genre\":\"comedy\"}},"
          + "{\"watched\":{\"partner\":\"streamflix\",\"genre\":\"thriller\"}},"
          + "{\"watched\":{\"partner\":\"streamflix\",\"genre\":\"documentary\"}}]}";

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.demoWithUsers(3000);
    ads = server.token("ads");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> segment(String token, String advertiser, String definition)
      throws Exception {
    return server.postWithToken(
        token,
        "/api/v1/ads/segments",
        "{\"advertiser\":\"" + advertiser + "\",\"name\":\"s\",\"definition\":" + definition + "}");
  }

  private static HttpResponse<String> estimate(String advertiser, String definition)
      throws Exception {
    return server.postWithToken(
        ads,
        "/api/v1/ads/audiences/estimate",
        "{\"advertiser\":\"" + advertiser + "\",\"definition\":" + definition + "}");
  }

  private static int segmentCount() throws Exception {
    return TestServer.json(server.getWithToken(ads, "/api/v1/ads/segments")).size();
  }

  @Test
  void refusesASegmentOnStreamflixDataForAnyAdvertiserButStreamflix() throws Exception {
    int before = segmentCount();
    var r = segment(ads, "northwind", STREAMFLIX_VIEWERS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("no-ad-targeting-but-own").contains("problem");
    assertThat(r.headers().firstValue("X-DataPact-Ledger-Index")).isPresent();
    assertThat(segmentCount()).isEqualTo(before);

    var own = segment(ads, "streamflix", STREAMFLIX_VIEWERS);
    assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
    JsonNode s = TestServer.json(own);
    assertThat(s.get("labels").asText())
        .contains("streamflix/video_viewing")
        .contains("platform/demographic");
    assertThat(s.get("audienceSize").asInt()).isGreaterThanOrEqualTo(100);
    assertThat(segmentCount()).isEqualTo(before + 1);
  }

  @Test
  void aUnitAsksAboutASegmentWithTheLabelsDataPactStoredForIt() throws Exception {
    var built = segment(ads, "streamflix", STREAMFLIX_VIEWERS);
    assertThat(built.statusCode()).as(built.body()).isEqualTo(201);
    String id = TestServer.json(built).get("id").asText();
    String ask =
        "{\"segment\":\""
            + id
            + "\",\"scope\":\"data.use\",\"purpose\":\"ad_targeting\""
            + ",\"onBehalfOf\":\"%s\"}";
    var own =
        TestServer.json(
            server.postWithToken(ads, "/api/v1/decisions", ask.formatted("streamflix")));
    assertThat(own.get("effect").asText()).isEqualTo("allow");
    var other =
        TestServer.json(server.postWithToken(ads, "/api/v1/decisions", ask.formatted("northwind")));
    assertThat(other.get("effect").asText()).isEqualTo("deny");
    assertThat(other.get("reasons").toString()).contains("no-ad-targeting-but-own");
    var watch =
        TestServer.json(
            server.postWithToken(
                server.token("watch"),
                "/api/v1/decisions",
                "{\"segment\":\""
                    + id
                    + "\",\"scope\":\"data.use\",\"purpose\":\"recommendations\"}"));
    assertThat(watch.get("effect").asText()).isEqualTo("deny");
    assertThat(watch.get("reasons").toString()).contains("not-for-watch");
  }

  @Test
  void refusesEverySegmentToWatchWhateverItAsksFor() throws Exception {
    var r = segment(server.token("watch"), "northwind", "{\"country\":\"US\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    var sf = segment(server.token("watch"), "streamflix", STREAMFLIX_VIEWERS);
    assertThat(sf.statusCode()).as(sf.body()).isEqualTo(403);
    assertThat(sf.body()).contains("not-for-watch");
  }

  @Test
  void refusesAnAudienceBelowTheMinimumAndOneThatDiffersByFewerUsers() throws Exception {
    var tiny = estimate("lumen", "{\"country\":\"NG\"}");
    assertThat(tiny.statusCode()).as(tiny.body()).isEqualTo(403);
    assertThat(tiny.body()).contains("fewer than 100").doesNotContain("\"size\"");

    var us = estimate("lumen", "{\"country\":\"US\"}");
    assertThat(us.statusCode()).as(us.body()).isEqualTo(200);
    assertThat(TestServer.json(us).get("size").asInt()).isGreaterThan(100);
    // the same audience plus a handful of Nigerian users: the difference would single them out
    var plusFew = estimate("lumen", "{\"or\":[{\"country\":\"US\"},{\"country\":\"NG\"}]}");
    assertThat(plusFew.statusCode()).as(plusFew.body()).isEqualTo(403);
    assertThat(plusFew.body()).contains("differs from one reported before");
  }

  @Test
  void partnerStaffActOnlyForTheirOwnAdvertiserAccount() throws Exception {
    var sam = server.session();
    sam.login("sam");
    var mine =
        sam.post(
            "/api/v1/ads/audiences/estimate",
            "{\"advertiser\":\"streamflix\",\"definition\":" + STREAMFLIX_VIEWERS + "}");
    assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
    var theirs =
        sam.post(
            "/api/v1/ads/audiences/estimate",
            "{\"advertiser\":\"northwind\",\"definition\":{\"country\":\"US\"}}");
    assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(403);
    JsonNode advertisers = TestServer.json(sam.get("/api/v1/ads/advertisers"));
    assertThat(advertisers).hasSize(1);
    assertThat(advertisers.get(0).get("id").asText()).isEqualTo("streamflix");
    assertThat(TestServer.json(sam.get("/api/v1/ads/campaigns")))
        .allSatisfy(c -> assertThat(c.get("advertiser").asText()).isEqualTo("streamflix"));
  }

  @Test
  void refusesBadDefinitionsNamingThePlace() throws Exception {
    var unknown = segment(ads, "lumen", "{\"and\":[{\"country\":\"US\"},{\"shoeSize\":\"42\"}]}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body())
        .contains("definition.and[1]")
        .contains("unknown predicate `shoeSize`");
    var badValue = segment(ads, "lumen", "{\"ageBand\":\"12-99\"}");
    assertThat(badValue.statusCode()).isEqualTo(400);
    assertThat(badValue.body()).contains("definition.ageBand").contains("unknown age band");
    var empty = segment(ads, "lumen", "{\"or\":[]}");
    assertThat(empty.statusCode()).isEqualTo(400);
  }

  private static String campaign(
      String segment, String budget, String kind, String bid, String starts, String ends) {
    return "{\"advertiser\":\"streamflix\",\"name\":\"c\",\"segment\":\""
        + segment
        + "\",\"budgetCents\":"
        + budget
        + ",\"bidKind\":\""
        + kind
        + "\",\"bidCents\":"
        + bid
        + ",\"starts\":\""
        + starts
        + "\",\"ends\":\""
        + ends
        + "\"}";
  }

  @Test
  void createsACampaignOnItsOwnSegmentAndRefusesBadInputStoringNothing() throws Exception {
    // the same audience the other tests build for streamflix: telling it again singles no one out
    var seg = segment(ads, "streamflix", STREAMFLIX_VIEWERS);
    assertThat(seg.statusCode()).as(seg.body()).isEqualTo(201);
    String id = TestServer.json(seg).get("id").asText();
    LocalDate today = LocalDate.now(Clock.systemUTC());
    String s = today.plusDays(1).toString();
    String e = today.plusDays(30).toString();
    int before = TestServer.json(server.getWithToken(ads, "/api/v1/ads/campaigns")).size();

    String[][] bad = {
      {campaign(id, "-5", "cpm", "500", s, e), "budgetCents"},
      {campaign(id, "0", "cpm", "500", s, e), "budgetCents"},
      {campaign(id, "100000000000000000", "cpm", "500", s, e), "budgetCents"},
      {campaign(id, "\"lots\"", "cpm", "500", s, e), "budgetCents"},
      {campaign(id, "1000000", "cpm", "0", s, e), "bidCents"},
      {campaign(id, "1000000", "cpm", "99999999", s, e), "bidCents"},
      {campaign(id, "1000000", "cpx", "500", s, e), "bidKind"},
      {campaign(id, "1000000", "cpm", "500", "2019-01-01", e), "starts"},
      {campaign(id, "1000000", "cpm", "500", e, s), "ends"},
      {campaign(id, "1000000", "cpm", "500", s, today.plusYears(5).toString()), "ends"},
      {campaign(id, "1000000", "cpm", "500", "tomorrow", e), "starts"},
      {campaign("999999", "1000000", "cpm", "500", s, e), "segment"},
    };
    for (String[] b : bad) {
      var r = server.postWithToken(ads, "/api/v1/ads/campaigns", b[0]);
      assertThat(r.statusCode()).as(b[0] + " -> " + r.body()).isIn(400, 404);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
      assertThat(r.body()).as(b[0]).contains("`" + b[1] + "`");
    }
    // another advertiser's segment
    var lumenSeg = segment(ads, "lumen", "{\"country\":\"US\"}");
    String lumenId =
        lumenSeg.statusCode() == 201
            ? TestServer.json(lumenSeg).get("id").asText()
            : TestServer.json(server.getWithToken(ads, "/api/v1/ads/segments"))
                .get(0)
                .get("id")
                .asText();
    var stolen =
        server.postWithToken(
            ads, "/api/v1/ads/campaigns", campaign(lumenId, "1000000", "cpm", "500", s, e));
    assertThat(stolen.statusCode()).as(stolen.body()).isEqualTo(403);
    assertThat(stolen.body()).contains("`segment`");
    assertThat(TestServer.json(server.getWithToken(ads, "/api/v1/ads/campaigns"))).hasSize(before);

    var ok =
        server.postWithToken(
            ads, "/api/v1/ads/campaigns", campaign(id, "5000000", "cpc", "150", s, e));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    JsonNode c = TestServer.json(ok);
    assertThat(c.get("dataSource").asText()).isEqualTo("first-party+streamflix");
    assertThat(c.get("ledgerIndex").asLong()).isNotNegative();
    assertThat(TestServer.json(server.getWithToken(ads, "/api/v1/ads/campaigns")))
        .hasSize(before + 1);
  }

  @Test
  void revenueSaysWhenASimulationIsUnderWayBesideTheServer() throws Exception {
    var oscar = server.session();
    oscar.login("oscar");
    assertThat(TestServer.json(oscar.get("/api/v1/ads/revenue")).get("simulating").isNull())
        .isTrue();
    server.context.ads().simulating(5, 2_922);
    try {
      JsonNode under = TestServer.json(oscar.get("/api/v1/ads/revenue")).get("simulating");
      assertThat(under.get("days").asLong()).isEqualTo(5);
      assertThat(under.get("of").asLong()).isEqualTo(2_922);
    } finally {
      server.context.ads().simulationEnded();
    }
    assertThat(TestServer.json(oscar.get("/api/v1/ads/revenue")).get("simulating").isNull())
        .isTrue();
  }

  @Test
  void revenueAttributionSumsExactlyToTheSimulatedRevenue() throws Exception {
    DeliverySimulator.Summary summary =
        AdsSimulation.run(
            server.db,
            LocalDate.parse("2017-01-01"),
            LocalDate.parse("2019-12-31"),
            new DeliverySimulator.Settings(42, 6000, AdsSimulation.defaultScale(3000)),
            Clock.systemUTC(),
            ProgressListener.NONE);
    assertThat(summary.revenueCents()).isPositive();
    var oscar = server.session();
    oscar.login("oscar");
    JsonNode rev = TestServer.json(oscar.get("/api/v1/ads/revenue"));
    long total = rev.get("totalCents").asLong();
    assertThat(total).isEqualTo(summary.revenueCents());
    for (String view : new String[] {"byYear", "byAdvertiser", "byDataSource"}) {
      long sum = 0;
      for (JsonNode row : rev.get(view)) {
        sum += row.get("revenueCents").asLong();
      }
      assertThat(sum).as(view).isEqualTo(total);
    }
    assertThat(rev.get("byDataSource").toString()).contains("first-party+streamflix");
    // the northwind campaign on streamflix data is refused once the restriction holds
    assertThat(new org.datapact.store.ads.AdsStore(server.db).refusals())
        .anySatisfy(
            x -> {
              assertThat(x.reason()).contains("no-ad-targeting-but-own");
              assertThat(x.day()).isAfterOrEqualTo(LocalDate.parse("2017-08-01"));
            });
    JsonNode commitments = TestServer.json(oscar.get("/api/v1/ads/commitments"));
    JsonNode sf = null;
    for (JsonNode c : commitments) {
      if (c.get("duty").asText().equals("guaranteed-spend-2017")) {
        sf = c;
      }
    }
    assertThat(sf).isNotNull();
    assertThat(sf.get("committedCents").asLong()).isEqualTo(15_000_000_000L);
    long streamflix2017 = 0;
    for (JsonNode row : rev.get("byAdvertiser")) {
      if (row.get("key").asText().equals("streamflix") && row.get("year").asInt() == 2017) {
        streamflix2017 += row.get("revenueCents").asLong();
      }
    }
    assertThat(sf.get("spentCents").asLong()).isEqualTo(streamflix2017).isPositive();
    // partner staff see their own figures only
    var sam = server.session();
    sam.login("sam");
    JsonNode theirs = TestServer.json(sam.get("/api/v1/ads/revenue"));
    assertThat(theirs.get("simulation").isNull()).isTrue();
    assertThat(theirs.get("byAdvertiser"))
        .allSatisfy(r -> assertThat(r.get("key").asText()).isEqualTo("streamflix"));
  }
}
