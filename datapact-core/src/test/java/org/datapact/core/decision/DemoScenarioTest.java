package org.datapact.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.label.Label;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.datapact.core.world.DemoPolicy;
import org.datapact.core.world.DemoSnapshots;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed article's story, decided in the demo world. Each denial names its reason. */
class DemoScenarioTest {
  static final PartyId STREAMFLIX = PartyId.of("streamflix");
  static final PartyId SEEKR = PartyId.of("seekr");
  static final PartyId TUNELY = PartyId.of("tunely");
  static final PartyId ADS = PartyId.of("ads");
  static final PartyId WATCH = PartyId.of("watch");
  static final UserId ALICE = UserId.of(1);
  static final UserId BOB = UserId.of(2);
  static final UserId CAROL = UserId.of(3);
  static final UserId DAVE = UserId.of(4);
  static final Instant Y2012 = Instant.parse("2012-06-01T00:00:00Z");
  static final Instant Y2014 = Instant.parse("2014-06-01T00:00:00Z");
  static final Instant Y2016 = Instant.parse("2016-06-01T00:00:00Z");
  static final Instant Y2018 = Instant.parse("2018-06-01T00:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-29T00:00:00Z");
  static final LabelSet STREAMFLIX_VIDEO =
      LabelSet.of(
          new Label(
              STREAMFLIX,
              DataCategory.VIDEO_VIEWING,
              org.datapact.core.jurisdiction.RuleSetId.of("US")));
  static final LabelSet PLATFORM_SOCIAL =
      LabelSet.of(
          new Label(
              PolicySnapshot.PLATFORM,
              DataCategory.SOCIAL_GRAPH,
              org.datapact.core.jurisdiction.RuleSetId.of("EU")));

  static PolicySnapshot world;

  @BeforeAll
  static void build() throws Exception {
    world = DemoSnapshots.build(42, 2_000);
  }

  private static Decision decide(
      PartyId who, UserId user, Scope scope, Purpose purpose, Instant at) {
    return world.decide(DecisionRequest.about(who, user, scope, purpose, at));
  }

  private static Decision useDataset(
      PartyId unit, LabelSet labels, Purpose purpose, Instant at, PartyId onBehalfOf) {
    return world.decide(
        new DecisionRequest(unit, null, labels, Scope.DATA_USE, purpose, at, onBehalfOf, 0));
  }

  @Test
  void allows2011FriendsSharingInternationally() {
    Decision d = decide(STREAMFLIX, ALICE, Scope.FRIENDS_LIST, Purpose.SOCIAL_SHARING, Y2012);
    assertThat(d.allowed()).isTrue();
    assertThat(d.agreementVersion()).isEqualTo("streamflix-partnership@1");
    assertThat(d.reasons())
        .extracting(Reason::rule)
        .containsExactly("streamflix-partnership@1#friends");
  }

  @Test
  void denies2011FriendsSharingForUsUsers() {
    Decision d = decide(STREAMFLIX, BOB, Scope.FRIENDS_LIST, Purpose.SOCIAL_SHARING, Y2012);
    assertThat(d.allowed()).isFalse();
    assertThat(d.reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.JURISDICTION_EXCLUDED);
    assertThat(d.reasons().get(0).detail()).contains("`US`");
  }

  @Test
  void deniesInboxReadBeforeTheExtendedApi() {
    Decision d = decide(STREAMFLIX, ALICE, Scope.INBOX_READ, Purpose.RECOMMENDATIONS, Y2012);
    assertThat(d.reasons()).extracting(Reason::code).contains(ReasonCode.NO_PERMISSION);
  }

  @Test
  void allows2013InboxReadForRecommendationsWithConsentMinimisedToAppThreads() {
    Decision d = decide(STREAMFLIX, BOB, Scope.INBOX_READ, Purpose.RECOMMENDATIONS, Y2014);
    assertThat(d.allowed()).isTrue();
    assertThat(d.agreementVersion()).isEqualTo("streamflix-partnership@2");
    assertThat(d.obligations())
        .contains(
            new Obligation.Minimise(org.datapact.core.agreement.Minimisation.APP_THREADS_ONLY));
    assertThat(decide(STREAMFLIX, ALICE, Scope.INBOX_READ, Purpose.RECOMMENDATIONS, NOW).allowed())
        .isTrue();
  }

  @Test
  void deniesBobsVideoDataWithoutTheVideoConsent() {
    Decision d = decide(STREAMFLIX, BOB, Scope.ACTIVITY_WRITE, Purpose.RECOMMENDATIONS, Y2014);
    assertThat(d.allowed()).isFalse();
    assertThat(d.reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.SPECIAL_CONSENT_MISSING);
    assertThat(d.reasons().get(0).rule()).isEqualTo("US");
    assertThat(d.reasons().get(0).detail()).contains("video_sharing");
  }

  @Test
  void allowsBobsVideoDataOnceHeGivesTheVideoConsentForAtMostTwoYears() {
    Instant granted = Instant.parse("2024-01-01T00:00:00Z");
    PolicySnapshot s =
        world.withConsent(
            ConsentChange.grant(
                BOB,
                STREAMFLIX,
                ConsentTopic.VIDEO_SHARING,
                granted,
                Instant.parse("2030-01-01T00:00:00Z"),
                org.datapact.core.consent.ConsentBasis.EXPLICIT,
                "test"));
    var request =
        DecisionRequest.about(
            STREAMFLIX,
            BOB,
            Scope.ACTIVITY_WRITE,
            Purpose.RECOMMENDATIONS,
            granted.plusSeconds(86_400));
    assertThat(s.decide(request).allowed()).isTrue();
    // the consent says 2030, but the US rule caps it at two years
    Decision later = s.decide(request.at(Instant.parse("2026-01-02T00:00:00Z")));
    assertThat(later.reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.SPECIAL_CONSENT_MISSING);
  }

  @Test
  void adsMayNotTargetWithStreamflixDataExceptForStreamflixCampaigns() {
    Decision forTunely = useDataset(ADS, STREAMFLIX_VIDEO, Purpose.AD_TARGETING, Y2018, TUNELY);
    assertThat(forTunely.allowed()).isFalse();
    assertThat(forTunely.reasons()).extracting(Reason::code).containsExactly(ReasonCode.PROHIBITED);
    assertThat(forTunely.reasons().get(0).rule())
        .isEqualTo("streamflix-partnership@4#no-ad-targeting-but-own");
    assertThat(useDataset(ADS, STREAMFLIX_VIDEO, Purpose.AD_TARGETING, Y2018, STREAMFLIX).allowed())
        .isTrue();
  }

  @Test
  void before2017StreamflixDataWasNotRestricted() {
    assertThat(useDataset(ADS, STREAMFLIX_VIDEO, Purpose.AD_TARGETING, Y2016, TUNELY).allowed())
        .isTrue();
  }

  @Test
  void watchIsAlwaysDeniedStreamflixData() {
    Decision d = useDataset(WATCH, STREAMFLIX_VIDEO, Purpose.RECOMMENDATIONS, Y2018, null);
    assertThat(d.reasons())
        .extracting(Reason::rule)
        .contains("streamflix-partnership@4#not-for-watch");
    assertThat(useDataset(WATCH, STREAMFLIX_VIDEO, Purpose.RECOMMENDATIONS, NOW, WATCH).allowed())
        .isFalse();
    assertThat(useDataset(WATCH, PLATFORM_SOCIAL, Purpose.RECOMMENDATIONS, NOW, null).allowed())
        .isTrue();
  }

  @Test
  void everyRequestAfterARevokeIsDenied() {
    Instant revokedAt = Instant.parse("2026-11-29T10:00:00Z");
    var request =
        DecisionRequest.about(
            STREAMFLIX,
            ALICE,
            Scope.FRIENDS_LIST,
            Purpose.RECOMMENDATIONS,
            revokedAt.minusSeconds(1));
    assertThat(world.decide(request).allowed()).isTrue();
    PolicySnapshot after =
        world.withConsent(
            ConsentChange.revoke(
                ALICE, STREAMFLIX, ConsentTopic.of(Purpose.RECOMMENDATIONS), revokedAt, "test"));
    for (Scope scope :
        new Scope[] {
          Scope.FRIENDS_LIST, Scope.INBOX_READ, Scope.PROFILE_BASIC, Scope.MESSAGES_SEND
        }) {
      Decision d =
          after.decide(
              DecisionRequest.about(
                  STREAMFLIX, ALICE, scope, Purpose.RECOMMENDATIONS, revokedAt.plusSeconds(1)));
      assertThat(d.reasons())
          .as(scope.wire())
          .extracting(Reason::code)
          .containsExactly(ReasonCode.NO_CONSENT);
    }
    assertThat(after.policyHash()).isNotEqualTo(world.policyHash());
  }

  @Test
  void seekrMayNotReadFriends() {
    Decision d = decide(SEEKR, ALICE, Scope.FRIENDS_LIST, Purpose.ANALYTICS, NOW);
    assertThat(d.reasons()).extracting(Reason::code).contains(ReasonCode.NO_PERMISSION);
  }

  @Test
  void carolConsentsToNoOneAndDaveNotToStreamflix() {
    assertThat(
            decide(STREAMFLIX, CAROL, Scope.PROFILE_BASIC, Purpose.RECOMMENDATIONS, NOW).reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.NO_CONSENT);
    assertThat(decide(STREAMFLIX, DAVE, Scope.FRIENDS_LIST, Purpose.RECOMMENDATIONS, NOW).reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.NO_CONSENT);
  }

  @Test
  void unitsNeedTheUsersConsentToThePlatform() {
    assertThat(decide(ADS, ALICE, Scope.DATA_USE, Purpose.AD_TARGETING, NOW).allowed()).isTrue();
    assertThat(decide(ADS, CAROL, Scope.DATA_USE, Purpose.AD_TARGETING, NOW).reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.NO_CONSENT);
  }

  @Test
  void anUnknownPrincipalHasNoAgreement() {
    assertThat(
            decide(PartyId.of("mallory"), ALICE, Scope.PROFILE_BASIC, Purpose.ANALYTICS, NOW)
                .reasons())
        .extracting(Reason::code)
        .contains(ReasonCode.NO_ACTIVE_AGREEMENT);
  }

  @Test
  void anUnknownSubjectIsDenied() {
    assertThat(
            decide(
                    STREAMFLIX,
                    UserId.of(999_999),
                    Scope.PROFILE_BASIC,
                    Purpose.RECOMMENDATIONS,
                    NOW)
                .reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.UNKNOWN_SUBJECT);
  }

  @Test
  void theRateLimitDenies() {
    var request =
        DecisionRequest.about(STREAMFLIX, ALICE, Scope.FRIENDS_LIST, Purpose.RECOMMENDATIONS, NOW);
    assertThat(world.decide(request.withRecentUses(19_999)).allowed()).isTrue();
    assertThat(world.decide(request.withRecentUses(DemoPolicy.EXTENDED_API_QUOTA)).reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.RATE_LIMITED);
  }

  @Test
  void everyDecisionNamesTheSnapshotItWasMadeUnder() {
    assertThat(
            decide(STREAMFLIX, ALICE, Scope.FRIENDS_LIST, Purpose.RECOMMENDATIONS, NOW)
                .policyHash())
        .isEqualTo(world.policyHash())
        .hasSize(64);
  }
}
