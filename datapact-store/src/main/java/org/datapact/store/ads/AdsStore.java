package org.datapact.store.ads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.ads.AgeBand;
import org.datapact.core.ads.AudienceIndex;
import org.datapact.core.ads.BidKind;
import org.datapact.core.ads.Campaign;
import org.datapact.core.ads.DeliverySimulator;
import org.datapact.core.ads.Genre;
import org.datapact.core.ads.PredicateText;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.jurisdiction.RuleSetId;
import org.datapact.core.label.Label;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.datapact.core.world.Advertiser;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.jspecify.annotations.Nullable;

/**
 * The ads tables: the population the audience index is built from (users with their attributes,
 * partners' viewing signals, ad-targeting consents), advertisers, segments, campaigns, and the last
 * delivery simulation's results (written through {@link SimulationWriter}). Sums of money are
 * integer cents, summed as {@code BIGINT}.
 *
 * <p>Why about 450 lines: the ads tables are read together by one service and one simulation; the
 * row records and their mappers sit next to the queries that fill them.
 */
public final class AdsStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The topic of the consent changes the ads index follows. */
  public static final ConsentTopic AD_TARGETING = ConsentTopic.of(Purpose.AD_TARGETING);

  private final Database db;

  /**
   * @param db the open store
   */
  public AdsStore(Database db) {
    this.db = db;
  }

  private record Person(long id, CountryCode country, AgeBand band, int interests) {}

  /**
   * Adds every user with attributes to {@code index} (users without attributes cannot be targeted).
   */
  public void loadPopulation(AudienceIndex index) {
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT u.id, u.country, a.age_band, a.interests FROM app_user u"
                            + " JOIN user_attribute a ON a.user_id = u.id ORDER BY u.id")
                    .setFetchSize(10_000)
                    .map(
                        (rs, ctx) ->
                            new Person(
                                rs.getLong(1),
                                CountryCode.of(rs.getString(2)),
                                AgeBand.fromWire(rs.getString(3)),
                                rs.getInt(4)))
                    .forEach(p -> index.addUser(p.id(), p.country(), p.band(), p.interests())));
  }

  /**
   * @return every ad-targeting consent change (in history order) and every viewing signal whose
   *     genre DataPact knows, as events in time for the simulation or to bring an index up to date
   */
  public List<DeliverySimulator.Event> events() {
    List<ConsentChange> consents = new ArrayList<>();
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT user_id, party_id, granted, changed_at, expires_at, basis, source"
                            + " FROM consent_event WHERE topic = ? ORDER BY id")
                    .bind(0, AD_TARGETING.wire())
                    .setFetchSize(10_000)
                    .map(
                        (rs, ctx) ->
                            new ConsentChange(
                                UserId.of(rs.getLong(1)),
                                PartyId.of(rs.getString(2)),
                                AD_TARGETING,
                                rs.getBoolean(3),
                                SqlTime.required(rs.getObject(4)),
                                SqlTime.instant(rs.getObject(5)),
                                ConsentBasis.fromWire(rs.getString(6)),
                                rs.getString(7)))
                    .forEach(consents::add));
    return events(consents);
  }

  /**
   * @param adConsents the ad-targeting consent changes in history order, already read (with the
   *     decision point's snapshot, say)
   * @return those changes and every viewing signal whose genre DataPact knows, as events in time
   */
  public List<DeliverySimulator.Event> events(List<ConsentChange> adConsents) {
    List<DeliverySimulator.Event> out = new ArrayList<>(adConsents.size());
    for (ConsentChange c : adConsents) {
      if (!c.topic().equals(AD_TARGETING)) {
        throw new IllegalArgumentException("not an ad-targeting consent change: " + c.topic());
      }
      out.add(new DeliverySimulator.ConsentEvent(c));
    }
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT partner_id, user_id, payload, observed_at FROM partner_signal"
                            + " WHERE category = ? ORDER BY id")
                    .bind(0, DataCategory.VIDEO_VIEWING.wire())
                    .setFetchSize(10_000)
                    .map(
                        (rs, ctx) -> {
                          Genre g = genreOf(rs.getString(3));
                          return g == null
                              ? Optional.<DeliverySimulator.Event>empty()
                              : Optional.<DeliverySimulator.Event>of(
                                  new DeliverySimulator.SignalEvent(
                                      PartyId.of(rs.getString(1)),
                                      rs.getLong(2),
                                      g,
                                      SqlTime.required(rs.getObject(4))));
                        })
                    .forEach(o -> o.ifPresent(out::add)));
    return out;
  }

  /**
   * @return the genre a viewing signal's payload names, or null if none DataPact knows
   */
  public static @Nullable Genre genreOf(String payload) {
    try {
      return genreOf(JSON.readTree(payload));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  /**
   * @return the genre a viewing signal names, or null if none DataPact knows
   */
  public static @Nullable Genre genreOf(JsonNode signal) {
    JsonNode genre = signal.get("genre");
    if (genre == null || !genre.isTextual()) {
      return null;
    }
    try {
      return Genre.fromWire(genre.asText());
    } catch (IllegalArgumentException e) {
      return null; // a genre DataPact does not target with: held, but not indexed
    }
  }

  /**
   * @return every advertiser account, by id
   */
  public List<Advertiser> advertisers() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT id, name, party_id FROM advertiser ORDER BY id")
                    .map(
                        (rs, ctx) -> {
                          String party = rs.getString(3);
                          return new Advertiser(
                              PartyId.of(rs.getString(1)),
                              rs.getString(2),
                              party == null ? null : PartyId.of(party));
                        })
                    .list());
  }

  /**
   * @return the advertiser with that id
   */
  public Optional<Advertiser> advertiser(PartyId id) {
    return advertisers().stream().filter(a -> a.id().equals(id)).findFirst();
  }

  /**
   * A stored segment.
   *
   * @param labels the labels of what it was built from, as the decision that allowed it saw them
   */
  public record SegmentRow(
      long id,
      PartyId advertiser,
      String name,
      String definition,
      LabelSet labels,
      int audienceSize,
      Instant builtAt,
      long ledgerIndex) {}

  /**
   * Stores a segment built through the decision point.
   *
   * @return its id
   */
  public long insertSegment(
      PartyId advertiser,
      String name,
      String definition,
      LabelSet labels,
      int size,
      Instant builtAt,
      long ledgerIndex) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO ad_segment (advertiser_id, name, definition, labels,"
                            + " audience_size, built_at, ledger_index) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, advertiser.value())
                    .bind(1, name)
                    .bind(2, definition)
                    .bind(3, labelsText(labels))
                    .bind(4, size)
                    .bind(5, SqlTime.utc(builtAt))
                    .bind(6, ledgerIndex)
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one());
  }

  /**
   * @return the segments of {@code advertiser}, or of everyone when null, newest first
   */
  public List<SegmentRow> segments(@Nullable PartyId advertiser) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT "
                            + SEGMENT_COLUMNS
                            + " FROM ad_segment WHERE (:all OR advertiser_id = :a) ORDER BY id DESC")
                    .bind("all", advertiser == null)
                    .bind("a", advertiser == null ? "" : advertiser.value())
                    .map((rs, ctx) -> segment(rs))
                    .list());
  }

  /**
   * @return the segment with that id
   */
  public Optional<SegmentRow> segment(long id) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT " + SEGMENT_COLUMNS + " FROM ad_segment WHERE id = ?")
                    .bind(0, id)
                    .map((rs, ctx) -> segment(rs))
                    .findOne());
  }

  private static final String SEGMENT_COLUMNS =
      "id, advertiser_id, name, definition, labels, audience_size, built_at, ledger_index";

  private static SegmentRow segment(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new SegmentRow(
        rs.getLong(1),
        PartyId.of(rs.getString(2)),
        rs.getString(3),
        rs.getString(4),
        labelsOf(rs.getString(5)),
        rs.getInt(6),
        SqlTime.required(rs.getObject(7)),
        rs.getLong(8));
  }

  /**
   * @return the stored form of a label set: {@code source/category/rule-set}, space-separated,
   *     sorted
   */
  public static String labelsText(LabelSet labels) {
    return labels.labels().stream()
        .map(l -> l.source().value() + "/" + l.category().wire() + "/" + l.jurisdiction().value())
        .sorted()
        .collect(java.util.stream.Collectors.joining(" "));
  }

  private static LabelSet labelsOf(String text) {
    java.util.Set<Label> out = new java.util.HashSet<>();
    for (String l : text.split(" ")) {
      String[] p = l.split("/");
      if (p.length != 3) {
        throw new IllegalStateException("a stored label is malformed: " + l); // INVARIANT
      }
      out.add(new Label(PartyId.of(p[0]), DataCategory.fromWire(p[1]), RuleSetId.of(p[2])));
    }
    return new LabelSet(out);
  }

  /**
   * A stored campaign.
   *
   * @param segmentId the segment it was created on (null for the demo timeline's)
   * @param ledgerIndex the decision that allowed it (null for the demo timeline's)
   */
  public record CampaignRow(
      Campaign campaign, @Nullable Long segmentId, Instant createdAt, @Nullable Long ledgerIndex) {}

  /**
   * Stores a campaign created through the API; its id comes from the store.
   *
   * @return the campaign with its id
   */
  public Campaign insertCampaign(Campaign c, long segmentId, Instant createdAt, long ledgerIndex) {
    long id =
        db.jdbi()
            .withHandle(
                h ->
                    h.createUpdate(
                            "INSERT INTO ad_campaign (advertiser_id, name, segment_id, definition,"
                                + " budget_cents, bid_kind, bid_cents, starts, ends, created_at,"
                                + " ledger_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .bind(0, c.advertiser().value())
                        .bind(1, c.name())
                        .bind(2, segmentId)
                        .bind(3, c.segment().canonical())
                        .bind(4, c.budgetCents())
                        .bind(5, c.bidKind().wire())
                        .bind(6, c.bidCents())
                        .bind(7, c.starts())
                        .bind(8, c.ends())
                        .bind(9, SqlTime.utc(createdAt))
                        .bind(10, ledgerIndex)
                        .executeAndReturnGeneratedKeys("id")
                        .mapTo(Long.class)
                        .one());
    return new Campaign(
        id,
        c.advertiser(),
        c.name(),
        c.budgetCents(),
        c.bidKind(),
        c.bidCents(),
        c.starts(),
        c.ends(),
        c.segment());
  }

  /**
   * @return every campaign, by id
   */
  public List<CampaignRow> campaigns() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, advertiser_id, name, definition, budget_cents, bid_kind,"
                            + " bid_cents, starts, ends, segment_id, created_at, ledger_index"
                            + " FROM ad_campaign ORDER BY id")
                    .map(
                        (rs, ctx) ->
                            new CampaignRow(
                                new Campaign(
                                    rs.getLong(1),
                                    PartyId.of(rs.getString(2)),
                                    rs.getString(3),
                                    rs.getLong(5),
                                    BidKind.fromWire(rs.getString(6)),
                                    rs.getLong(7),
                                    rs.getObject(8, LocalDate.class),
                                    rs.getObject(9, LocalDate.class),
                                    PredicateText.parse(rs.getString(4))),
                                (Long) rs.getObject(10, Long.class),
                                SqlTime.required(rs.getObject(11)),
                                (Long) rs.getObject(12, Long.class)))
                    .list());
  }

  /** The stored simulation's settings and totals. */
  public record SimulationRow(
      long seed,
      LocalDate from,
      LocalDate to,
      int impressionsPerDay,
      long scale,
      DeliverySimulator.Summary summary,
      Instant finishedAt) {}

  /**
   * Claims the running of the delivery simulation for {@code node}: granted when nobody holds the
   * claim, or when its holder is not {@code alive} any more (a node stopped mid-simulation).
   * Several nodes may start on one database; only the claimant simulates.
   *
   * @return whether {@code node} holds the claim now
   */
  public boolean claimSimulation(
      String node, Instant at, java.util.function.Predicate<String> alive) {
    try {
      return db.jdbi()
          .inTransaction(
              h -> {
                Optional<String> holder =
                    h.createQuery("SELECT node_id FROM ad_simulation_claim WHERE id = 1 FOR UPDATE")
                        .mapTo(String.class)
                        .findOne();
                if (holder.isEmpty()) {
                  return h.createUpdate(
                              "INSERT INTO ad_simulation_claim (id, node_id, claimed_at)"
                                  + " SELECT 1, ?, ? WHERE NOT EXISTS"
                                  + " (SELECT 1 FROM ad_simulation_claim WHERE id = 1)")
                          .bind(0, node)
                          .bind(1, SqlTime.utc(at))
                          .execute()
                      == 1;
                }
                if (holder.get().equals(node) || alive.test(holder.get())) {
                  return holder.get().equals(node);
                }
                return h.createUpdate(
                            "UPDATE ad_simulation_claim SET node_id = ?, claimed_at = ?"
                                + " WHERE id = 1 AND node_id = ?")
                        .bind(0, node)
                        .bind(1, SqlTime.utc(at))
                        .bind(2, holder.get())
                        .execute()
                    == 1;
              });
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
      return false; // another node inserted the claim between our read and our insert
    }
  }

  /** Gives up {@code node}'s claim (its simulation failed: the next start tries again). */
  public void releaseSimulation(String node) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate("DELETE FROM ad_simulation_claim WHERE id = 1 AND node_id = ?")
                    .bind(0, node)
                    .execute());
  }

  /**
   * @return the last simulation that finished, if any
   */
  public Optional<SimulationRow> simulation() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT seed, from_day, to_day, impressions_per_day, scale, opportunities,"
                            + " impressions, clicks, revenue_cents, finished_at FROM ad_simulation WHERE id = 1")
                    .map(
                        (rs, ctx) -> {
                          LocalDate from = rs.getObject(2, LocalDate.class);
                          LocalDate to = rs.getObject(3, LocalDate.class);
                          return new SimulationRow(
                              rs.getLong(1),
                              from,
                              to,
                              rs.getInt(4),
                              rs.getLong(5),
                              new DeliverySimulator.Summary(
                                  to.toEpochDay() - from.toEpochDay() + 1,
                                  rs.getLong(6),
                                  rs.getLong(7),
                                  rs.getLong(8),
                                  rs.getLong(9)),
                              SqlTime.required(rs.getObject(10)));
                        })
                    .findOne());
  }

  /**
   * Opens a writer that replaces the stored simulation: the old results are deleted when it opens,
   * and the new ones count only once {@link SimulationWriter#finish} wrote the totals.
   */
  public SimulationWriter simulationWriter() throws DataPactException {
    return new SimulationWriter(db);
  }

  /** One campaign's delivery over one year. */
  public record CampaignYear(
      long campaignId, int year, long impressions, long clicks, long spendCents) {}

  /**
   * @return the stored delivery summed by campaign and year
   */
  public List<CampaignYear> deliveryByCampaignYear() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT campaign_id, EXTRACT(YEAR FROM served_on) AS y, SUM(impressions),"
                            + " SUM(clicks), SUM(spend_cents) FROM ad_delivery"
                            + " GROUP BY campaign_id, EXTRACT(YEAR FROM served_on) ORDER BY campaign_id, y")
                    .map(
                        (rs, ctx) ->
                            new CampaignYear(
                                rs.getLong(1),
                                rs.getInt(2),
                                rs.getLong(3),
                                rs.getLong(4),
                                rs.getLong(5)))
                    .list());
  }

  /** A refusal stored by the simulation. */
  public record RefusalRow(long campaignId, LocalDate day, String reason) {}

  /**
   * @return the simulation's refusals, by campaign and day
   */
  public List<RefusalRow> refusals() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT campaign_id, refused_on, reason FROM ad_refusal ORDER BY campaign_id, refused_on")
                    .map(
                        (rs, ctx) ->
                            new RefusalRow(
                                rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getString(3)))
                    .list());
  }
}
