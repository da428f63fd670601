package org.datapact.server.ads;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.ads.Audience;
import org.datapact.core.ads.BidKind;
import org.datapact.core.ads.Campaign;
import org.datapact.core.ads.Predicate;
import org.datapact.core.ads.PredicateText;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Duty;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.party.PartyId;
import org.datapact.core.world.Advertiser;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.release.DecisionAnswer;
import org.datapact.server.release.LabelAnswer;
import org.datapact.server.release.ReleasePipeline;
import org.datapact.server.session.Caller;
import org.datapact.store.ads.AdsStore;
import org.jspecify.annotations.Nullable;

/**
 * The ads business: advertisers, audiences estimated and segments built through the release
 * pipeline, campaigns, spend commitments and revenue. The principal of every targeting decision is
 * the {@code ads} unit (or the unit calling: {@code watch} asking is judged as {@code watch}, and
 * refused), on the advertiser's behalf, with the labels of what the audience was built from — never
 * labels the caller names. Partner staff act only for their own advertiser account and see only its
 * figures.
 *
 * <p>Why about 560 lines: eight endpoints that share one advertiser check, one audience check and
 * the field-naming validation of bodies; split, each would repeat them.
 */
public final class AdsFeature implements Feature {
  private static final Role[] STAFF = {Role.OPERATOR, Role.PARTNER, Role.UNIT};
  private static final int MAX_NAME = 128;

  private final ServerContext context;

  /**
   * @param context the server's shared parts
   */
  public AdsFeature(ServerContext context) {
    this.context = context;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/ads/advertisers", this::advertisers, STAFF),
        Route.post("/api/v1/ads/audiences/estimate", this::estimate, STAFF),
        Route.post("/api/v1/ads/segments", this::buildSegment, STAFF),
        Route.get("/api/v1/ads/segments", this::segments, STAFF),
        Route.post("/api/v1/ads/campaigns", this::createCampaign, STAFF),
        Route.get("/api/v1/ads/campaigns", this::campaigns, STAFF),
        Route.get(
            "/api/v1/ads/commitments",
            this::commitments,
            Role.OPERATOR,
            Role.PARTNER,
            Role.REGULATOR),
        Route.get(
            "/api/v1/ads/revenue", this::revenue, Role.OPERATOR, Role.PARTNER, Role.REGULATOR));
  }

  private AdsService ads() {
    return context.ads();
  }

  // ---- who acts, for whom

  /** The caller, the advertiser they act for, and the principal of the targeting decision. */
  private record Acting(Caller caller, Advertiser advertiser, PartyId principal) {}

  private Acting acting(Context ctx, @Nullable JsonNode advertiserField) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    if (advertiserField == null || !advertiserField.isTextual()) {
      throw DataPactException.invalid("`advertiser` is required: the advertiser account's id");
    }
    PartyId id;
    try {
      id = PartyId.of(advertiserField.asText());
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid("`advertiser`: " + e.getMessage());
    }
    Advertiser adv =
        ads()
            .store()
            .advertiser(id)
            .orElseThrow(
                () -> DataPactException.notFound("`advertiser`: no advertiser `" + id + "`"));
    if (caller.role() == Role.PARTNER && !id.equals(adv.party())) {
      throw new DataPactException(
          ErrorKind.FORBIDDEN,
          "`advertiser`: partner staff act only for their own advertiser account");
    }
    PartyId principal = caller.role() == Role.UNIT ? caller.requireParty() : AdsSimulation.ADS;
    return new Acting(caller, adv, principal);
  }

  /** Which advertisers the caller may see: all for operators and units, their own for partners. */
  private boolean visible(Caller caller, PartyId advertiser, @Nullable PartyId advertiserParty) {
    return caller.role() != Role.PARTNER
        || (advertiserParty != null && advertiserParty.equals(caller.party()));
  }

  // ---- audiences and segments

  /** An audience as answered: its size, labels and the decision it was released on. */
  record AudienceAnswer(
      int size,
      int minimum,
      List<String> sources,
      List<LabelAnswer> labels,
      String definition,
      DecisionAnswer decision,
      long ledgerIndex) {}

  /** The decided, guarded audience of a definition, and the receipt of its release. */
  private record Released(
      Audience audience, int minimum, Decision decision, ReleasePipeline.Receipt receipt) {}

  /**
   * Decides the audience through the release pipeline (ledgered; refused: 403 with the decision),
   * then the minimum audience and the differencing guard (refused: 403).
   */
  private Released release(Context ctx, Acting a, Predicate definition, String endpoint)
      throws DataPactException {
    ReleasePipeline release = context.release();
    Instant now = release.now();
    Audience audience = ads().audience(definition, now);
    if (audience.size() == 0) {
      throw new DataPactException(
          ErrorKind.FORBIDDEN,
          "`definition`: the audience is empty, or smaller than the minimum of "
              + org.datapact.core.ads.AudienceGuard.DEFAULT_MINIMUM
              + " users; its size is not reported");
    }
    DecisionRequest request =
        AdsService.targeting(a.principal(), audience, a.advertiser().id(), now);
    ReleasePipeline.Decided decided = release.decide(request);
    ReleasePipeline.Receipt receipt =
        release.release(new ReleasePipeline.Asked(endpoint, null), decided, List.of());
    receipt.headers().forEach(ctx::header);
    int min = AdsService.minimumFor(decided.decision());
    Optional<String> refused = ads().guard().admit(a.advertiser().id(), audience, min);
    if (refused.isPresent()) {
      throw new DataPactException(ErrorKind.FORBIDDEN, "`definition`: " + refused.get());
    }
    return new Released(audience, min, decided.decision(), receipt);
  }

  private static AudienceAnswer answer(Released r) {
    Audience a = r.audience();
    return new AudienceAnswer(
        a.size(),
        r.minimum(),
        a.sources().stream().map(PartyId::value).sorted().toList(),
        LabelAnswer.sorted(a.labels().labels()),
        a.definition().canonical(),
        DecisionAnswer.of(r.receipt().decisionId(), r.decision()),
        r.receipt().ledgerIndex());
  }

  private void estimate(Context ctx) throws DataPactException {
    JsonNode body = Json.body(ctx, context.mapper(), JsonNode.class);
    Acting a = acting(ctx, body.get("advertiser"));
    Predicate definition = PredicateJson.parse(body.get("definition"));
    ctx.json(answer(release(ctx, a, definition, "POST /api/v1/ads/audiences/estimate")));
  }

  /** A stored segment on the wire. */
  record SegmentAnswer(
      String id,
      String advertiser,
      String name,
      JsonNode definition,
      String canonical,
      int audienceSize,
      String labels,
      String builtAt,
      long ledgerIndex) {
    static SegmentAnswer of(AdsStore.SegmentRow s) {
      return new SegmentAnswer(
          Long.toString(s.id()),
          s.advertiser().value(),
          s.name(),
          PredicateJson.toJson(PredicateText.parse(s.definition())),
          s.definition(),
          s.audienceSize(),
          AdsStore.labelsText(s.labels()),
          s.builtAt().toString(),
          s.ledgerIndex());
    }
  }

  private void buildSegment(Context ctx) throws DataPactException {
    JsonNode body = Json.body(ctx, context.mapper(), JsonNode.class);
    Acting a = acting(ctx, body.get("advertiser"));
    String name = name(body.get("name"));
    Predicate definition = PredicateJson.parse(body.get("definition"));
    Released r = release(ctx, a, definition, "POST /api/v1/ads/segments");
    long id =
        ads()
            .store()
            .insertSegment(
                a.advertiser().id(),
                name,
                definition.canonical(),
                r.audience().labels(),
                r.audience().size(),
                r.audience().at(),
                r.receipt().ledgerIndex());
    ctx.status(201);
    ctx.json(SegmentAnswer.of(ads().store().segment(id).orElseThrow()));
  }

  private void segments(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    Map<PartyId, Advertiser> advertisers = advertiserMap();
    ctx.json(
        ads().store().segments(null).stream()
            .filter(s -> visible(caller, s.advertiser(), partyOf(advertisers, s.advertiser())))
            .map(SegmentAnswer::of)
            .toList());
  }

  // ---- advertisers and campaigns

  /** An advertiser on the wire. */
  record AdvertiserAnswer(String id, String name, @Nullable String party) {}

  private void advertisers(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    ctx.json(
        ads().store().advertisers().stream()
            .filter(a -> visible(caller, a.id(), a.party()))
            .map(
                a ->
                    new AdvertiserAnswer(
                        a.id().value(), a.name(), a.party() == null ? null : a.party().value()))
            .toList());
  }

  /** A campaign on the wire, with what the stored simulation delivered for it. */
  record CampaignAnswer(
      String id,
      String advertiser,
      String name,
      @Nullable String segment,
      JsonNode definition,
      String dataSource,
      long budgetCents,
      String bidKind,
      long bidCents,
      String starts,
      String ends,
      @Nullable Long ledgerIndex,
      long spendCents,
      long impressions,
      long clicks) {}

  private void createCampaign(Context ctx) throws DataPactException {
    JsonNode body = Json.body(ctx, context.mapper(), JsonNode.class);
    Acting a = acting(ctx, body.get("advertiser"));
    String name = name(body.get("name"));
    JsonNode segmentField = body.get("segment");
    if (segmentField == null || !(segmentField.isTextual() || segmentField.isIntegralNumber())) {
      throw DataPactException.invalid("`segment` is required: the id of a segment you built");
    }
    long segmentId;
    try {
      segmentId = Long.parseLong(segmentField.asText());
    } catch (NumberFormatException e) {
      throw DataPactException.invalid("`segment`: not a segment id");
    }
    AdsStore.SegmentRow segment =
        ads()
            .store()
            .segment(segmentId)
            .orElseThrow(
                () -> DataPactException.notFound("`segment`: no segment `" + segmentId + "`"));
    if (!segment.advertiser().equals(a.advertiser().id())) {
      throw new DataPactException(
          ErrorKind.FORBIDDEN, "`segment`: a segment of another advertiser cannot be used");
    }
    long budget = cents(body.get("budgetCents"), "budgetCents", Campaign.MAX_BUDGET_CENTS);
    BidKind kind;
    JsonNode kindField = body.get("bidKind");
    try {
      kind = BidKind.fromWire(kindField == null ? "" : kindField.asText());
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid("`bidKind`: " + e.getMessage());
    }
    long bid = cents(body.get("bidCents"), "bidCents", Campaign.MAX_BID_CENTS);
    LocalDate starts = date(body.get("starts"), "starts");
    LocalDate ends = date(body.get("ends"), "ends");
    LocalDate today = LocalDate.ofInstant(context.release().now(), ZoneOffset.UTC);
    if (starts.isBefore(today)) {
      throw DataPactException.invalid(
          "`starts`: " + starts + " is in the past (today is " + today + ")");
    }
    if (ends.isBefore(starts)) {
      throw DataPactException.invalid("`ends`: " + ends + " is before `starts` " + starts);
    }
    if (ends.isAfter(starts.plusYears(2))) {
      throw DataPactException.invalid("`ends`: a campaign runs at most two years");
    }
    Predicate definition = PredicateText.parse(segment.definition());
    // the use, decided now and ledgered; then the schedule must lie inside the agreements
    Released r = release(ctx, a, definition, "POST /api/v1/ads/campaigns");
    for (Map.Entry<String, Instant> edge :
        List.of(
            Map.entry("starts", starts.atStartOfDay(ZoneOffset.UTC).toInstant()),
            Map.entry(
                "ends",
                ends.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1)))) {
      Decision d =
          context
              .release()
              .snapshot()
              .decide(
                  AdsService.targeting(
                      a.principal(), r.audience(), a.advertiser().id(), edge.getValue()));
      if (!d.allowed()) {
        throw DataPactException.invalid(
            "`"
                + edge.getKey()
                + "`: the schedule lies outside the agreements: "
                + String.join("; ", d.reasons().stream().map(x -> x.detail()).toList()));
      }
    }
    Campaign c;
    try {
      c = new Campaign(0, a.advertiser().id(), name, budget, kind, bid, starts, ends, definition);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
    Campaign stored =
        ads()
            .store()
            .insertCampaign(c, segmentId, context.release().now(), r.receipt().ledgerIndex());
    ctx.status(201);
    ctx.json(
        campaignAnswer(
            new AdsStore.CampaignRow(
                stored, segmentId, context.release().now(), r.receipt().ledgerIndex()),
            Map.of()));
  }

  private void campaigns(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    Map<PartyId, Advertiser> advertisers = advertiserMap();
    Map<Long, long[]> delivered = new HashMap<>();
    for (AdsStore.CampaignYear y : ads().store().deliveryByCampaignYear()) {
      long[] t = delivered.computeIfAbsent(y.campaignId(), k -> new long[3]);
      t[0] += y.spendCents();
      t[1] += y.impressions();
      t[2] += y.clicks();
    }
    ctx.json(
        ads().store().campaigns().stream()
            .filter(
                r ->
                    visible(
                        caller,
                        r.campaign().advertiser(),
                        partyOf(advertisers, r.campaign().advertiser())))
            .map(r -> campaignAnswer(r, delivered))
            .toList());
  }

  private static CampaignAnswer campaignAnswer(
      AdsStore.CampaignRow r, Map<Long, long[]> delivered) {
    Campaign c = r.campaign();
    long[] t = delivered.getOrDefault(c.id(), new long[3]);
    return new CampaignAnswer(
        Long.toString(c.id()),
        c.advertiser().value(),
        c.name(),
        r.segmentId() == null ? null : Long.toString(r.segmentId()),
        PredicateJson.toJson(c.segment()),
        c.dataSource(),
        c.budgetCents(),
        c.bidKind().wire(),
        c.bidCents(),
        c.starts().toString(),
        c.ends().toString(),
        r.ledgerIndex(),
        t[0],
        t[1],
        t[2]);
  }

  // ---- commitments and revenue

  /** A spend duty and its progress, from the stored simulation. */
  record Commitment(
      String agreement,
      String duty,
      String party,
      int year,
      String currency,
      long committedCents,
      long spentCents,
      double progress) {}

  private void commitments(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    Map<String, Long> spentByPartyYear = ads().spentByPartyYear();
    Map<String, Commitment> out = new LinkedHashMap<>();
    for (AgreementRecord rec : context.release().snapshot().agreements()) {
      for (Duty d : rec.terms().duties()) {
        Optional<Duty.Spend> spend = d.match(r -> Optional.empty(), Optional::of);
        if (spend.isEmpty()) {
          continue;
        }
        Duty.Spend s = spend.get();
        if (caller.role() == Role.PARTNER && !s.party().equals(caller.party())) {
          continue;
        }
        long committed =
            s.amount()
                .movePointRight(2)
                .setScale(0, java.math.RoundingMode.UNNECESSARY)
                .longValueExact();
        long spent = spentByPartyYear.getOrDefault(s.party().value() + "/" + s.year(), 0L);
        out.put(
            rec.terms().agreementId() + "/" + s.id(),
            new Commitment(
                rec.terms().agreementId(),
                s.id(),
                s.party().value(),
                s.year(),
                s.currency(),
                committed,
                spent,
                committed == 0
                    ? 0
                    : BigDecimal.valueOf(spent)
                        .divide(BigDecimal.valueOf(committed), 4, java.math.RoundingMode.HALF_EVEN)
                        .doubleValue()));
      }
    }
    ctx.json(List.copyOf(out.values()));
  }

  /** Revenue in integer cents, from the stored simulation. */
  record Revenue(
      AdsStore.@Nullable SimulationRow simulation,
      AdsService.@Nullable Simulating simulating,
      long totalCents,
      List<Row> byYear,
      List<Row> byAdvertiser,
      List<Row> byDataSource) {}

  /** One figure: a key (year, advertiser or data source) and a year (0 for all years). */
  record Row(String key, int year, long revenueCents, long impressions, long clicks) {}

  private void revenue(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    Map<PartyId, Advertiser> advertisers = advertiserMap();
    Map<Long, Campaign> campaigns = new HashMap<>();
    ads().store().campaigns().forEach(r -> campaigns.put(r.campaign().id(), r.campaign()));
    Map<String, long[]> byYear = new TreeMap<>();
    Map<String, long[]> byAdvertiser = new TreeMap<>();
    Map<String, long[]> bySource = new TreeMap<>();
    long total = 0;
    for (AdsStore.CampaignYear y : ads().store().deliveryByCampaignYear()) {
      Campaign c = campaigns.get(y.campaignId());
      if (c == null || !visible(caller, c.advertiser(), partyOf(advertisers, c.advertiser()))) {
        continue;
      }
      String year = Integer.toString(y.year());
      add(byYear, year + "|" + year, y);
      add(byAdvertiser, c.advertiser().value() + "|" + year, y);
      add(bySource, c.dataSource() + "|" + year, y);
      total += y.spendCents();
    }
    ctx.json(
        new Revenue(
            caller.role() == Role.PARTNER ? null : ads().store().simulation().orElse(null),
            ads().simulation().orElse(null),
            total,
            rows(byYear),
            rows(byAdvertiser),
            rows(bySource)));
  }

  private static void add(Map<String, long[]> m, String key, AdsStore.CampaignYear y) {
    long[] t = m.computeIfAbsent(key, k -> new long[3]);
    t[0] += y.spendCents();
    t[1] += y.impressions();
    t[2] += y.clicks();
  }

  private static List<Row> rows(Map<String, long[]> m) {
    List<Row> out = new ArrayList<>();
    m.forEach(
        (k, t) -> {
          int bar = k.lastIndexOf('|');
          out.add(
              new Row(
                  k.substring(0, bar), Integer.parseInt(k.substring(bar + 1)), t[0], t[1], t[2]));
        });
    return out;
  }

  // ---- helpers

  private Map<PartyId, Advertiser> advertiserMap() {
    Map<PartyId, Advertiser> m = new HashMap<>();
    ads().store().advertisers().forEach(a -> m.put(a.id(), a));
    return m;
  }

  private static @Nullable PartyId partyOf(Map<PartyId, Advertiser> m, PartyId advertiser) {
    Advertiser a = m.get(advertiser);
    return a == null ? null : a.party();
  }

  private static String name(@Nullable JsonNode v) throws DataPactException {
    if (v == null || !v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_NAME) {
      throw DataPactException.invalid("`name` is required: 1 to " + MAX_NAME + " characters");
    }
    return v.asText().strip();
  }

  private static long cents(@Nullable JsonNode v, String field, long max) throws DataPactException {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw DataPactException.invalid("`" + field + "` is required: a whole number of US cents");
    }
    long n = v.asLong();
    if (n <= 0 || n > max) {
      throw DataPactException.invalid(
          "`" + field + "`: must be between 1 and " + max + " cents, got " + n);
    }
    return n;
  }

  private static LocalDate date(@Nullable JsonNode v, String field) throws DataPactException {
    if (v == null || !v.isTextual()) {
      throw DataPactException.invalid("`" + field + "` is required: a date, e.g. 2027-01-31");
    }
    try {
      return LocalDate.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw DataPactException.invalid("`" + field + "`: not a date (YYYY-MM-DD): " + v.asText());
    }
  }
}
