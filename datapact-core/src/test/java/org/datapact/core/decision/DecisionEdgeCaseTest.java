package org.datapact.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Permission;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.junit.jupiter.api.Test;

class DecisionEdgeCaseTest {
  static final PartyId P = PartyId.of("partner");
  static final Instant T = Instant.parse("2020-01-01T00:00:00Z");
  static final UserId U = UserId.of(7);

  static PolicySnapshot snapshot(Constraints c, String country, ConsentBasis basis) {
    var version =
        new AgreementVersion(
            "deal",
            1,
            P,
            "t",
            T,
            null,
            List.of(
                new Permission("read", P, Scope.PROFILE_BASIC, Set.of(Purpose.RECOMMENDATIONS), c)),
            List.of(),
            List.of());
    return PolicySnapshot.builder(Jurisdictions.standard(), Map.of(P, PartyKind.PARTNER))
        .agreements(
            List.of(
                new AgreementRecord(
                    version,
                    List.of(new AgreementRecord.StatusChange(AgreementStatus.ACTIVE, T, "op")))))
        .subject(U, CountryCode.of(country))
        .consent(
            ConsentChange.grant(
                U, P, ConsentTopic.of(Purpose.RECOMMENDATIONS), T, null, basis, "t"))
        .build();
  }

  static Decision ask(PolicySnapshot s) {
    return s.decide(
        DecisionRequest.about(
            P, U, Scope.PROFILE_BASIC, Purpose.RECOMMENDATIONS, T.plusSeconds(60)));
  }

  @Test
  void euUsersNeedExplicitConsentWhereOthersMayConsentWithTheTerms() {
    assertThat(ask(snapshot(Constraints.NONE, "BR", ConsentBasis.TERMS)).allowed()).isTrue();
    assertThat(ask(snapshot(Constraints.NONE, "DE", ConsentBasis.EXPLICIT)).allowed()).isTrue();
    assertThat(ask(snapshot(Constraints.NONE, "DE", ConsentBasis.TERMS)).reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.CONSENT_NOT_EXPLICIT);
  }

  @Test
  void anUnknownJurisdictionTermDeniesRatherThanBeingDropped() {
    Decision d =
        ask(
            snapshot(
                Constraints.NONE.withJurisdictions(Set.of(), Set.of("ATLANTIS")),
                "BR",
                ConsentBasis.TERMS));
    assertThat(d.allowed()).isFalse();
    assertThat(d.reasons()).extracting(Reason::code).contains(ReasonCode.EVALUATION_ERROR);
    assertThat(d.reasons().get(0).detail()).contains("`ATLANTIS`");
  }

  @Test
  void aCountryAndARuleSetAreBothValidJurisdictionTerms() {
    assertThat(
            ask(snapshot(
                    Constraints.NONE.withJurisdictions(Set.of("EU"), Set.of()),
                    "FR",
                    ConsentBasis.EXPLICIT))
                .allowed())
        .isTrue();
    assertThat(
            ask(snapshot(
                    Constraints.NONE.withJurisdictions(Set.of("EU"), Set.of("FR")),
                    "FR",
                    ConsentBasis.EXPLICIT))
                .reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.JURISDICTION_EXCLUDED);
  }

  @Test
  void refusesAReleaseAboutOneUserUnderAnAggregateOnlyPermission() {
    PolicySnapshot s =
        snapshot(
            Constraints.NONE.withMinimisation(
                org.datapact.core.agreement.Minimisation.AGGREGATE_ONLY, 100),
            "BR",
            ConsentBasis.TERMS);
    Decision d = ask(s);
    assertThat(d.allowed()).isFalse();
    assertThat(d.reasons()).extracting(Reason::code).containsExactly(ReasonCode.AGGREGATE_ONLY);
    assertThat(d.reasons().get(0).detail()).contains("at least 100 users");
    // a dataset request names no user: it is allowed, and carries the cohort the aggregate must
    // reach
    Decision dataset =
        s.decide(
            new DecisionRequest(
                P,
                null,
                org.datapact.core.label.LabelSet.of(
                    new org.datapact.core.label.Label(
                        PolicySnapshot.PLATFORM,
                        org.datapact.core.policy.DataCategory.CONTACT,
                        org.datapact.core.jurisdiction.RuleSetId.of("US"))),
                Scope.PROFILE_BASIC,
                Purpose.RECOMMENDATIONS,
                T.plusSeconds(60),
                null,
                0));
    assertThat(dataset.allowed()).isTrue();
    assertThat(dataset.obligation(Obligation.AggregateOnly.class))
        .contains(new Obligation.AggregateOnly(100));
  }

  @Test
  void aJurisdictionTermMatchesItsCountryAndItsRuleSetOnly() {
    var us = org.datapact.core.jurisdiction.RuleSetId.of("US");
    var eu = org.datapact.core.jurisdiction.RuleSetId.of("EU");
    var term = org.datapact.core.jurisdiction.JurisdictionTerm.of("US");
    assertThat(term.covers(CountryCode.of("US"), us)).isTrue();
    assertThat(term.covers(CountryCode.of("DE"), eu)).isFalse();
    assertThat(
            org.datapact.core.jurisdiction.JurisdictionTerm.of("EU")
                .covers(CountryCode.of("DE"), eu))
        .isTrue();
    assertThatThrownBy(() -> org.datapact.core.jurisdiction.JurisdictionTerm.of("eu"))
        .hasMessageContaining("rule set id");
    assertThat(
            org.datapact.core.jurisdiction.JurisdictionTerm.of("ATLANTIS")
                .resolvesIn(Jurisdictions.standard()))
        .isFalse();
  }

  @Test
  void aPermissionsValidityWindowBounds() {
    Constraints window = Constraints.NONE.withWindow(T, T.plusSeconds(30));
    assertThat(ask(snapshot(window, "BR", ConsentBasis.TERMS)).reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.OUTSIDE_VALIDITY_WINDOW);
  }

  @Test
  void aSuspendedVersionDecidesNothing() {
    PolicySnapshot s = snapshot(Constraints.NONE, "BR", ConsentBasis.TERMS);
    AgreementRecord r =
        s.agreements()
            .get(0)
            .with(
                new AgreementRecord.StatusChange(
                    AgreementStatus.SUSPENDED, T.plusSeconds(10), "system"));
    assertThat(ask(s.withAgreements(List.of(r))).reasons())
        .extracting(Reason::code)
        .containsExactly(ReasonCode.NO_ACTIVE_AGREEMENT);
  }

  @Test
  void contradictoryTermsAreRejectedWithAPreciseMessage() {
    assertThatThrownBy(() -> Constraints.NONE.withJurisdictions(Set.of("US"), Set.of("US")))
        .hasMessage("jurisdiction `US` is both included and excluded");
    assertThatThrownBy(
            () -> new Permission("p", P, Scope.PROFILE_BASIC, Set.of(), Constraints.NONE))
        .hasMessage("permission `p` names no purpose");
    assertThatThrownBy(() -> Scope.fromWire("inbox.write"))
        .hasMessageStartingWith("unknown scope `inbox.write`; known scopes:");
    assertThatThrownBy(
            () ->
                new AgreementVersion(
                    "deal",
                    1,
                    P,
                    "t",
                    T,
                    null,
                    List.of(
                        new Permission(
                            "x",
                            P,
                            Scope.PROFILE_BASIC,
                            Set.of(Purpose.ANALYTICS),
                            Constraints.NONE),
                        new Permission(
                            "x",
                            P,
                            Scope.FRIENDS_LIST,
                            Set.of(Purpose.ANALYTICS),
                            Constraints.NONE)),
                    List.of(),
                    List.of()))
        .hasMessage("agreement `deal` v1: rule id `x` repeats");
  }

  @Test
  void aConsentChangePublishesASnapshotWithoutTouchingTheOldOne() {
    PolicySnapshot s = snapshot(Constraints.NONE, "BR", ConsentBasis.TERMS);
    DecisionPoint pdp = new DecisionPoint(s);
    pdp.apply(
        ConsentChange.revoke(
            U, P, ConsentTopic.of(Purpose.RECOMMENDATIONS), T.plusSeconds(30), "t"));
    assertThat(ask(s).allowed()).isTrue();
    assertThat(
            pdp.decide(
                    DecisionRequest.about(
                        P, U, Scope.PROFILE_BASIC, Purpose.RECOMMENDATIONS, T.plusSeconds(60)))
                .allowed())
        .isFalse();
    assertThat(pdp.snapshot().consentChanges()).isEqualTo(s.consentChanges() + 1);
  }

  @Test
  void everyDecisionNamesThePositionOfThePolicyItWasMadeUnder() {
    PolicySnapshot s = snapshot(Constraints.NONE, "BR", ConsentBasis.TERMS);
    DecisionPoint pdp = new DecisionPoint(s);
    DecisionRequest r =
        DecisionRequest.about(
            P, U, Scope.PROFILE_BASIC, Purpose.RECOMMENDATIONS, T.plusSeconds(60));
    assertThat(pdp.decide(r).policyPosition()).isEqualTo(-1); // no log positions it
    long[] logEnd = {41};
    pdp.positionedBy(() -> logEnd[0]);
    assertThat(pdp.decide(r).policyPosition()).isEqualTo(41);
    assertThat(pdp.decide(r).allowed()).isTrue();

    logEnd[0] = 57; // the log grew with decisions only: the published snapshot keeps its position
    assertThat(pdp.decide(r).policyPosition()).isEqualTo(41);
    logEnd[0] = 60; // a revocation and a grant recorded at 59 and 60, then applied together
    pdp.applyAll(
        List.of(
            ConsentChange.revoke(
                U, P, ConsentTopic.of(Purpose.RECOMMENDATIONS), T.plusSeconds(30), "t"),
            ConsentChange.revoke(
                U, P, ConsentTopic.of(Purpose.ANALYTICS), T.plusSeconds(31), "t")));
    Decision after = pdp.decide(r);
    assertThat(after.allowed()).isFalse();
    assertThat(after.policyPosition()).isEqualTo(60);
    assertThat(pdp.snapshot().consentChanges()).isEqualTo(s.consentChanges() + 2);
    assertThat(s.position()).isEqualTo(-1); // the old snapshot is untouched

    logEnd[0] = 64; // a carry-over recorded what the snapshot holds already
    String hash = pdp.snapshot().policyHash();
    pdp.advanced();
    assertThat(pdp.decide(r).policyPosition()).isEqualTo(64);
    assertThat(pdp.snapshot().policyHash()).isEqualTo(hash);
  }

  @Test
  void aSpecialConsentIsLookedUpUnderItsOwnTopic() {
    // a rule set whose special consent for video data is an analytics consent, not the
    // video-sharing topic
    var rules =
        new org.datapact.core.jurisdiction.Jurisdictions(
            List.of(
                new org.datapact.core.jurisdiction.RuleSet(
                    "XX",
                    Set.of(CountryCode.of("BR")),
                    false,
                    Map.of(
                        org.datapact.core.policy.DataCategory.VIDEO_VIEWING,
                        new org.datapact.core.jurisdiction.RuleSet.SpecialConsent(
                            ConsentTopic.of(Purpose.ANALYTICS), java.time.Duration.ofDays(365))),
                    java.time.Duration.ofDays(30)),
                new org.datapact.core.jurisdiction.RuleSet(
                    Jurisdictions.DEFAULT,
                    Set.of(),
                    false,
                    Map.of(),
                    java.time.Duration.ofDays(30))));
    var version =
        new AgreementVersion(
            "deal",
            1,
            P,
            "t",
            T,
            null,
            List.of(
                new Permission(
                    "push",
                    P,
                    Scope.ACTIVITY_WRITE,
                    Set.of(Purpose.RECOMMENDATIONS),
                    Constraints.NONE)),
            List.of(),
            List.of());
    var builder =
        PolicySnapshot.builder(rules, Map.of(P, PartyKind.PARTNER))
            .agreements(
                List.of(
                    new AgreementRecord(
                        version,
                        List.of(
                            new AgreementRecord.StatusChange(AgreementStatus.ACTIVE, T, "op")))))
            .subject(U, CountryCode.of("BR"))
            .consent(
                ConsentChange.grant(
                    U,
                    P,
                    ConsentTopic.of(Purpose.RECOMMENDATIONS),
                    T,
                    null,
                    ConsentBasis.EXPLICIT,
                    "t"));
    var request =
        DecisionRequest.about(
                P, U, Scope.ACTIVITY_WRITE, Purpose.RECOMMENDATIONS, T.plusSeconds(60))
            .withLabels(
                org.datapact.core.label.LabelSet.of(
                    new org.datapact.core.label.Label(
                        P,
                        org.datapact.core.policy.DataCategory.VIDEO_VIEWING,
                        org.datapact.core.jurisdiction.RuleSetId.of("XX"))));
    assertThat(builder.build().decide(request).reasons())
        .extracting(Reason::code)
        .contains(ReasonCode.SPECIAL_CONSENT_MISSING);
    PolicySnapshot withVideoOnly =
        builder
            .build()
            .withConsent(
                ConsentChange.grant(
                    U, P, ConsentTopic.VIDEO_SHARING, T, null, ConsentBasis.EXPLICIT, "t"));
    assertThat(withVideoOnly.decide(request).allowed())
        .as("the video-sharing topic is not the one this rule asks for")
        .isFalse();
    PolicySnapshot withAnalytics =
        builder
            .build()
            .withConsent(
                ConsentChange.grant(
                    U, P, ConsentTopic.of(Purpose.ANALYTICS), T, null, ConsentBasis.EXPLICIT, "t"));
    assertThat(withAnalytics.decide(request).allowed()).isTrue();
  }

  @Test
  void aRequestWithoutLabelsIsAboutPlatformDataAndItsProhibitionsApply() {
    PartyId unit = PartyId.of("watch");
    var version =
        new AgreementVersion(
            "internal",
            1,
            PolicySnapshot.PLATFORM,
            "t",
            T,
            null,
            List.of(
                new Permission(
                    "use", unit, Scope.DATA_USE, Set.of(Purpose.AD_TARGETING), Constraints.NONE)),
            List.of(
                new org.datapact.core.agreement.Prohibition(
                    "no-platform-ads",
                    Set.of(PolicySnapshot.PLATFORM),
                    Set.of(unit),
                    Set.of(Purpose.AD_TARGETING),
                    Set.of())),
            List.of());
    PolicySnapshot s =
        PolicySnapshot.builder(Jurisdictions.standard(), Map.of(unit, PartyKind.UNIT))
            .agreements(
                List.of(
                    new AgreementRecord(
                        version,
                        List.of(
                            new AgreementRecord.StatusChange(AgreementStatus.ACTIVE, T, "op")))))
            .subject(U, CountryCode.of("BR"))
            .consent(
                ConsentChange.grant(
                    U,
                    PolicySnapshot.PLATFORM,
                    ConsentTopic.of(Purpose.AD_TARGETING),
                    T,
                    null,
                    ConsentBasis.EXPLICIT,
                    "t"))
            .build();
    Decision d =
        s.decide(
            DecisionRequest.about(
                unit, U, Scope.DATA_USE, Purpose.AD_TARGETING, T.plusSeconds(60)));
    assertThat(d.reasons()).extracting(Reason::code).containsExactly(ReasonCode.PROHIBITED);
    assertThat(
            s.allows(
                DecisionRequest.about(
                    unit, U, Scope.DATA_USE, Purpose.AD_TARGETING, T.plusSeconds(60))))
        .isFalse();
  }
}
