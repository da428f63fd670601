package org.datapact.core.world;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementRecord.StatusChange;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.Minimisation;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.Prohibition;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.jspecify.annotations.Nullable;

/**
 * The agreement timeline and consents of the demo world, replaying the seed article:
 *
 * <ul>
 *   <li>{@code streamflix-partnership} v1 (July 2011): social integration, international only — US
 *       users excluded;
 *   <li>v2 (March 2013): the Extended API — {@code inbox.read} (only threads the app took part in)
 *       and {@code messages.send} for recommendations, US enabled (where the video-sharing consent
 *       rule applies), monthly reports of recommendation sends and recipient clicks;
 *   <li>v3 (August 2017): the ad-targeting data exchange — streamflix signals may feed ad
 *       targeting, but streamflix-labelled data may not be used for {@code ad_targeting} except for
 *       streamflix's own campaigns, and never by the {@code watch} unit; 150,000,000 USD guaranteed
 *       ad spend in 2017;
 *   <li>v4 (April 2018): adds ad measurement, keeps the restrictions;
 *   <li>{@code tunely-messaging} v1 (2013) and {@code seekr-search} v1 (2012, profile only: seekr
 *       may not read friends lists);
 *   <li>{@code internal-data-use} v1 (2011): what the units {@code ads}, {@code ranking} and {@code
 *       watch} may use, with the platform as counterparty.
 * </ul>
 *
 * Consents: the cast's are fixed (see {@link DemoWorldGenerator}); everyone else's are drawn from
 * the {@code consents} random stream, with some grants later revoked.
 *
 * <p>Why one class of about 430 lines: it is data — the seed's decade of agreement versions and the
 * cast's consents, written out as the story tells them; split, the timeline would be read in
 * pieces.
 */
public final class DemoPolicy {
  static final PartyId PLATFORM = PolicySnapshot.PLATFORM;
  static final PartyId ADS = PartyId.of("ads");
  static final PartyId WATCH = PartyId.of("watch");
  static final PartyId RANKING = PartyId.of("ranking");
  private static final PartyId STREAMFLIX = DemoWorldGenerator.STREAMFLIX;
  private static final PartyId TUNELY = DemoWorldGenerator.TUNELY;
  private static final PartyId SEEKR = DemoWorldGenerator.SEEKR;

  private DemoPolicy() {}

  private static Instant t(String iso) {
    return Instant.parse(iso + "T00:00:00Z");
  }

  private static Permission allow(
      String id, PartyId who, Scope scope, Set<Purpose> purposes, Constraints c) {
    return new Permission(id, who, scope, purposes, c);
  }

  private static List<StatusChange> lifecycle(
      String proposed, String active, @Nullable String ended, @Nullable AgreementStatus endStatus) {
    List<StatusChange> h = new ArrayList<>();
    h.add(new StatusChange(AgreementStatus.PENDING_APPROVAL, t(proposed), "oscar"));
    h.add(new StatusChange(AgreementStatus.ACTIVE, t(active), "olga"));
    if (ended != null && endStatus != null) {
      h.add(new StatusChange(endStatus, t(ended), "system"));
    }
    return h;
  }

  /**
   * The Extended API's quota, calls a second per permission and partner: above what one server
   * answers on the benchmark machine, so the load benchmark measures the server, not the bucket
   * (20,000 was reached there, docs/benchmarks.md).
   */
  public static final int EXTENDED_API_QUOTA = 100_000;

  /**
   * @return every agreement version of the demo world with its status history
   */
  public static List<AgreementRecord> agreements() {
    Constraints international = Constraints.NONE.withJurisdictions(Set.of(), Set.of("US"));
    Constraints everywhere = Constraints.NONE;
    Constraints appThreads = Constraints.NONE.withMinimisation(Minimisation.APP_THREADS_ONLY, 0);
    Constraints limited =
        Constraints.NONE.withRateLimit(
            new Constraints.RateLimit(EXTENDED_API_QUOTA, Duration.ofSeconds(1)));
    Set<Purpose> social = Set.of(Purpose.SOCIAL_SHARING);
    Set<Purpose> socialAndRecs = Set.of(Purpose.SOCIAL_SHARING, Purpose.RECOMMENDATIONS);
    Set<Purpose> recs = Set.of(Purpose.RECOMMENDATIONS);

    // the reciprocity reports the Extended API rests on: missing one past its grace suspends the
    // inbox and the messaging it pays for
    Set<String> extendedApi = Set.of("inbox", "send");
    List<Duty> reports =
        List.of(
            new Duty.Report(
                "report-sends", STREAMFLIX, "recommendation_sends", "month", 10, 5, 5, extendedApi),
            new Duty.Report(
                "report-clicks", STREAMFLIX, "recipient_clicks", "month", 10, 5, 5, extendedApi));
    List<Permission> extended =
        List.of(
            allow("profile", STREAMFLIX, Scope.PROFILE_BASIC, socialAndRecs, limited),
            allow("friends", STREAMFLIX, Scope.FRIENDS_LIST, socialAndRecs, limited),
            allow(
                "inbox",
                STREAMFLIX,
                Scope.INBOX_READ,
                recs,
                appThreads.withRateLimit(
                    new Constraints.RateLimit(EXTENDED_API_QUOTA, Duration.ofSeconds(1)))),
            allow(
                "send",
                STREAMFLIX,
                Scope.MESSAGES_SEND,
                recs,
                limited.withLinkDomains(Set.of("streamflix.example"))),
            allow("activity", STREAMFLIX, Scope.ACTIVITY_WRITE, recs, limited));
    List<Permission> adExchange = new ArrayList<>(extended);
    adExchange.add(
        allow(
            "activity-ads",
            STREAMFLIX,
            Scope.ACTIVITY_WRITE,
            Set.of(Purpose.AD_TARGETING),
            limited));
    List<Prohibition> restrictions =
        List.of(
            new Prohibition(
                "no-ad-targeting-but-own",
                Set.of(STREAMFLIX),
                Set.of(),
                Set.of(Purpose.AD_TARGETING),
                Set.of(STREAMFLIX)),
            new Prohibition(
                "not-for-watch", Set.of(STREAMFLIX), Set.of(WATCH), Set.of(), Set.of()));
    List<Duty> reportsAndSpend = new ArrayList<>(reports);
    reportsAndSpend.add(
        Duty.spend("guaranteed-spend-2017", STREAMFLIX, new BigDecimal("150000000"), "USD", 2017));
    List<Permission> withMeasurement = new ArrayList<>(adExchange);
    withMeasurement.add(
        allow(
            "measurement",
            STREAMFLIX,
            Scope.ACTIVITY_WRITE,
            Set.of(Purpose.AD_MEASUREMENT),
            limited));

    String sf = "streamflix-partnership";
    return List.of(
        new AgreementRecord(
            new AgreementVersion(
                sf,
                1,
                STREAMFLIX,
                "Social integration (international)",
                t("2011-07-01"),
                null,
                List.of(
                    allow("profile", STREAMFLIX, Scope.PROFILE_BASIC, social, international),
                    allow("friends", STREAMFLIX, Scope.FRIENDS_LIST, social, international)),
                List.of(),
                List.of()),
            lifecycle("2011-06-15", "2011-07-01", "2013-03-01", AgreementStatus.EXPIRED)),
        new AgreementRecord(
            new AgreementVersion(
                sf,
                2,
                STREAMFLIX,
                "Extended API: inbox and messaging",
                t("2013-03-01"),
                null,
                extended,
                List.of(),
                reports),
            lifecycle("2013-02-01", "2013-03-01", "2017-08-01", AgreementStatus.EXPIRED)),
        new AgreementRecord(
            new AgreementVersion(
                sf,
                3,
                STREAMFLIX,
                "Ad-targeting data exchange",
                t("2017-08-01"),
                null,
                adExchange,
                restrictions,
                reportsAndSpend),
            lifecycle("2017-07-01", "2017-08-01", "2018-04-01", AgreementStatus.EXPIRED)),
        new AgreementRecord(
            new AgreementVersion(
                sf,
                4,
                STREAMFLIX,
                "Ad-targeting data exchange with measurement",
                t("2018-04-01"),
                null,
                withMeasurement,
                restrictions,
                reportsAndSpend),
            lifecycle("2018-03-15", "2018-04-01", null, null)),
        new AgreementRecord(
            new AgreementVersion(
                "tunely-messaging",
                1,
                TUNELY,
                "Music recommendations through messaging",
                t("2013-06-01"),
                null,
                List.of(
                    allow("friends", TUNELY, Scope.FRIENDS_LIST, recs, limited),
                    allow(
                        "send",
                        TUNELY,
                        Scope.MESSAGES_SEND,
                        recs,
                        limited.withLinkDomains(Set.of("tunely.example"))),
                    allow("activity", TUNELY, Scope.ACTIVITY_WRITE, recs, limited)),
                List.of(),
                List.of(
                    new Duty.Report(
                        "report-sends",
                        TUNELY,
                        "recommendation_sends",
                        "month",
                        10,
                        5,
                        10,
                        Set.of("send")))),
            lifecycle("2013-05-01", "2013-06-01", null, null)),
        new AgreementRecord(
            new AgreementVersion(
                "seekr-search",
                1,
                SEEKR,
                "Search profile cards",
                t("2012-01-01"),
                null,
                List.of(
                    allow(
                        "profile", SEEKR, Scope.PROFILE_BASIC, Set.of(Purpose.ANALYTICS), limited)),
                List.of(),
                List.of()),
            lifecycle("2011-12-01", "2012-01-01", null, null)),
        new AgreementRecord(
            new AgreementVersion(
                "internal-data-use",
                1,
                PLATFORM,
                "Internal data-use policy",
                t("2011-01-01"),
                null,
                List.of(
                    allow(
                        "ads-targeting",
                        ADS,
                        Scope.DATA_USE,
                        Set.of(Purpose.AD_TARGETING),
                        everywhere),
                    allow(
                        "ads-measurement",
                        ADS,
                        Scope.DATA_USE,
                        Set.of(Purpose.AD_MEASUREMENT),
                        Constraints.NONE.withMinimisation(Minimisation.AGGREGATE_ONLY, 100)),
                    allow("ranking", RANKING, Scope.DATA_USE, Set.of(Purpose.RANKING), everywhere),
                    allow("watch-recs", WATCH, Scope.DATA_USE, recs, everywhere)),
                List.of(),
                List.of()),
            lifecycle("2010-12-01", "2011-01-01", null, null)));
  }

  /**
   * The cast's consents (alice 1, bob 2, carol 3, dave 4): what cast.json says they demonstrate.
   */
  static List<ConsentChange> castConsents() {
    UserId alice = UserId.of(1);
    UserId bob = UserId.of(2);
    UserId dave = UserId.of(4);
    String src = "demo-generator";
    return List.of(
        ConsentChange.grant(
            alice,
            STREAMFLIX,
            ConsentTopic.of(Purpose.RECOMMENDATIONS),
            t("2013-04-02"),
            null,
            ConsentBasis.EXPLICIT,
            src),
        ConsentChange.grant(
            alice,
            STREAMFLIX,
            ConsentTopic.of(Purpose.SOCIAL_SHARING),
            t("2011-08-01"),
            null,
            ConsentBasis.EXPLICIT,
            src),
        ConsentChange.grant(
            alice,
            PLATFORM,
            ConsentTopic.of(Purpose.AD_TARGETING),
            t("2012-01-10"),
            null,
            ConsentBasis.EXPLICIT,
            src),
        ConsentChange.grant(
            alice,
            PLATFORM,
            ConsentTopic.of(Purpose.RANKING),
            t("2012-01-10"),
            null,
            ConsentBasis.EXPLICIT,
            src),
        ConsentChange.grant(
            alice,
            PLATFORM,
            ConsentTopic.of(Purpose.RECOMMENDATIONS),
            t("2012-01-10"),
            null,
            ConsentBasis.EXPLICIT,
            src),
        ConsentChange.grant(
            bob,
            STREAMFLIX,
            ConsentTopic.of(Purpose.RECOMMENDATIONS),
            t("2013-05-01"),
            null,
            ConsentBasis.TERMS,
            src),
        ConsentChange.grant(
            bob,
            STREAMFLIX,
            ConsentTopic.of(Purpose.SOCIAL_SHARING),
            t("2011-09-01"),
            null,
            ConsentBasis.TERMS,
            src),
        ConsentChange.grant(
            bob,
            PLATFORM,
            ConsentTopic.of(Purpose.AD_TARGETING),
            t("2012-02-01"),
            null,
            ConsentBasis.TERMS,
            src),
        ConsentChange.grant(
            bob,
            PLATFORM,
            ConsentTopic.of(Purpose.RANKING),
            t("2012-02-01"),
            null,
            ConsentBasis.TERMS,
            src),
        ConsentChange.grant(
            dave,
            PLATFORM,
            ConsentTopic.of(Purpose.RANKING),
            t("2012-03-01"),
            null,
            ConsentBasis.EXPLICIT,
            src));
  }

  /**
   * Draws the consents of one generated user (id above the cast) from {@code rng}.
   *
   * @param eu whether the user is under the EU rule set (explicit consent is then likelier)
   * @param us whether the user is under the US rule set (video-sharing consents are then drawn)
   */
  static void userConsents(
      long id, boolean eu, boolean us, SplittableRandom rng, List<ConsentChange> out) {
    UserId user = UserId.of(id);
    String src = "demo-generator";
    double explicit = eu ? 0.8 : 0.5;
    Object[][] offers = {
      {STREAMFLIX, Purpose.RECOMMENDATIONS, 0.35},
      {STREAMFLIX, Purpose.SOCIAL_SHARING, 0.25},
      {TUNELY, Purpose.RECOMMENDATIONS, 0.15},
      {SEEKR, Purpose.ANALYTICS, 0.05},
      {PLATFORM, Purpose.AD_TARGETING, 0.55},
      {PLATFORM, Purpose.RANKING, 0.75},
      {PLATFORM, Purpose.RECOMMENDATIONS, 0.4}
    };
    for (Object[] o : offers) {
      if (rng.nextDouble() >= (double) o[2]) {
        continue;
      }
      long granted = 1_325_376_000L + rng.nextLong(440_000_000L); // 2012-01-01 .. ~2025-12
      ConsentBasis basis = rng.nextDouble() < explicit ? ConsentBasis.EXPLICIT : ConsentBasis.TERMS;
      PartyId party = (PartyId) o[0];
      Purpose purpose = (Purpose) o[1];
      out.add(
          ConsentChange.grant(
              user,
              party,
              ConsentTopic.of(purpose),
              Instant.ofEpochSecond(granted),
              null,
              basis,
              src));
      if (rng.nextDouble() < 0.05) {
        out.add(
            ConsentChange.revoke(
                user,
                party,
                ConsentTopic.of(purpose),
                Instant.ofEpochSecond(granted + 86_400L + rng.nextLong(30_000_000L)),
                src));
      }
      if (us
          && party.equals(STREAMFLIX)
          && purpose == Purpose.RECOMMENDATIONS
          && rng.nextDouble() < 0.5) {
        long videoAt = 1_717_200_000L + rng.nextLong(75_000_000L); // mid-2024 .. late 2026
        out.add(
            ConsentChange.grant(
                user,
                STREAMFLIX,
                ConsentTopic.VIDEO_SHARING,
                Instant.ofEpochSecond(videoAt),
                Instant.ofEpochSecond(videoAt).plus(Duration.ofDays(730)),
                ConsentBasis.EXPLICIT,
                src));
      }
    }
  }

  /**
   * The conflict-of-interest register of the demo: the seed's case — a member of the platform's
   * board who also leads the streaming partner — declared in 2011.
   */
  static List<org.datapact.core.agreement.Interest> interests() {
    Instant declared = t("2011-06-01");
    return List.of(
        new org.datapact.core.agreement.Interest(
            "rowan",
            PLATFORM,
            org.datapact.core.agreement.Interest.Kind.BOARD_SEAT,
            t("2011-06-01"),
            null,
            "operator:oscar",
            declared),
        new org.datapact.core.agreement.Interest(
            "rowan",
            STREAMFLIX,
            org.datapact.core.agreement.Interest.Kind.EXECUTIVE_ROLE,
            t("2011-01-01"),
            null,
            "operator:oscar",
            declared));
  }

  /**
   * The approvals of the 2017 amendment (the ad-targeting exchange): rowan's is recused — the
   * reason is the two-person rule's own ({@link org.datapact.core.agreement.Approvals}) — and
   * olga's and mina's make it active.
   */
  static List<org.datapact.core.agreement.ApprovalRecord> approvals() {
    org.datapact.core.agreement.AgreementRecord v3 =
        agreements().stream()
            .filter(r -> r.terms().ref().equals("streamflix-partnership@3"))
            .findFirst()
            .orElseThrow();
    Instant rowanAt = t("2017-07-10");
    String reason =
        org.datapact.core.agreement.Approvals.review(
                v3, "operator:rowan", "rowan", List.of(), interests(), rowanAt)
            .orElseThrow()
            .reason();
    return List.of(
        new org.datapact.core.agreement.ApprovalRecord(
            "streamflix-partnership", 3, "operator:rowan", rowanAt, true, reason),
        new org.datapact.core.agreement.ApprovalRecord(
            "streamflix-partnership", 3, "operator:olga", t("2017-07-15"), false, null),
        new org.datapact.core.agreement.ApprovalRecord(
            "streamflix-partnership", 3, "operator:mina", t("2017-07-20"), false, null));
  }

  /**
   * Draws whether one generated user consented to streamflix using their data for ad targeting —
   * asked from August 2017, when the exchange began — from the {@code ad-consents} stream.
   */
  static void adConsents(long id, SplittableRandom rng, List<ConsentChange> out) {
    if (rng.nextDouble() >= 0.4) {
      return;
    }
    long granted =
        1_501_545_600L + rng.nextLong(7_776_000L); // asked in the exchange's first 90 days
    out.add(
        ConsentChange.grant(
            UserId.of(id),
            STREAMFLIX,
            ConsentTopic.of(Purpose.AD_TARGETING),
            Instant.ofEpochSecond(granted),
            null,
            ConsentBasis.EXPLICIT,
            "demo-generator"));
    if (rng.nextDouble() < 0.05) {
      out.add(
          ConsentChange.revoke(
              UserId.of(id),
              STREAMFLIX,
              ConsentTopic.of(Purpose.AD_TARGETING),
              Instant.ofEpochSecond(granted + 86_400L + rng.nextLong(20_000_000L)),
              "demo-generator"));
    }
  }

  /**
   * @return the rule-set ids under which EU and US users fall, for {@link #userConsents}
   */
  static Jurisdictions jurisdictions() {
    return Jurisdictions.standard();
  }
}
