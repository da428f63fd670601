package org.datapact.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Permission;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.label.Label;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.ClientCredential;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.security.SecretHasher;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.User;
import org.datapact.core.user.UserId;
import org.datapact.core.world.ConsoleAccount;
import org.datapact.core.world.DemoPolicy;
import org.datapact.core.world.DemoWorldGenerator;
import org.datapact.core.world.FriendList;
import org.datapact.core.world.InboxThread;
import org.datapact.core.world.Message;
import org.datapact.core.world.ProgressListener;
import org.datapact.core.world.WorldSink;
import org.datapact.core.world.WorldSpec;

/**
 * The decision benchmark's world: the demo world's users and consents at a given size, its
 * agreements plus synthetic partners' versions up to a given count, and a seeded mix of requests
 * like the demo's traffic (partner reads, unit uses of labelled datasets), all at one instant.
 */
final class DecisionFixture {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  final Map<PartyId, PartyKind> kinds = new HashMap<>();
  final List<AgreementRecord> agreements = new ArrayList<>();
  final byte[] countryIndex;
  final List<String> countries = new ArrayList<>();
  final List<ConsentChange> consents = new ArrayList<>();
  final int users;
  PolicySnapshot snapshot;
  DecisionRequest[] mix;

  DecisionFixture(int users, int versions, long seed) throws Exception {
    this.users = users;
    this.countryIndex = new byte[users + 1];
    new DemoWorldGenerator(new SecretHasher(10_000))
        .generate(new WorldSpec(seed, users), new Sink(), ProgressListener.NONE);
    agreements.addAll(DemoPolicy.agreements());
    SplittableRandom rng = new SplittableRandom(seed);
    for (int k = agreements.size(); k < versions; k++) {
      PartyId partner = PartyId.of(String.format("partner-%04d", k));
      kinds.put(partner, PartyKind.PARTNER);
      Constraints c =
          rng.nextBoolean()
              ? Constraints.NONE
              : Constraints.NONE.withJurisdictions(java.util.Set.of(), java.util.Set.of("US"));
      agreements.add(
          new AgreementRecord(
              new AgreementVersion(
                  "synthetic-" + k,
                  1,
                  partner,
                  "synthetic",
                  Instant.parse("2015-01-01T00:00:00Z"),
                  null,
                  List.of(
                      new Permission(
                          "profile",
                          partner,
                          Scope.PROFILE_BASIC,
                          java.util.Set.of(Purpose.RECOMMENDATIONS, Purpose.ANALYTICS),
                          c),
                      new Permission(
                          "friends",
                          partner,
                          Scope.FRIENDS_LIST,
                          java.util.Set.of(Purpose.SOCIAL_SHARING),
                          c)),
                  List.of(),
                  List.of()),
              List.of(
                  new AgreementRecord.StatusChange(
                      AgreementStatus.ACTIVE, Instant.parse("2015-01-01T00:00:00Z"), "bench"))));
    }
    PolicySnapshot.Builder b =
        PolicySnapshot.builder(Jurisdictions.standard(), kinds).agreements(agreements);
    for (int u = 1; u <= users; u++) {
      b.subject(UserId.of(u), CountryCode.of(countries.get(countryIndex[u])));
    }
    consents.forEach(b::consent);
    // every reciprocity report the demo agreements asked for is filed, so no duty suspends a
    // permission: the peers, which have no duties, decide the same policy
    org.datapact.core.world.DemoReciprocity.complete(DemoPolicy.agreements(), NOW, seed)
        .forEach(
            f ->
                b.filing(
                    new org.datapact.core.agreement.Filing(
                        f.partner(), f.metric(), f.period().toString())));
    snapshot = b.build();
    mix = mix(rng, 4096);
  }

  private DecisionRequest[] mix(SplittableRandom rng, int n) {
    PartyId streamflix = PartyId.of("streamflix");
    PartyId tunely = PartyId.of("tunely");
    PartyId seekr = PartyId.of("seekr");
    PartyId ads = PartyId.of("ads");
    PartyId watch = PartyId.of("watch");
    PartyId ranking = PartyId.of("ranking");
    Scope[] partnerScopes = {
      Scope.PROFILE_BASIC,
      Scope.FRIENDS_LIST,
      Scope.FRIENDS_LIST,
      Scope.INBOX_READ,
      Scope.MESSAGES_SEND,
      Scope.ACTIVITY_WRITE
    };
    Purpose[] partnerPurposes = {
      Purpose.RECOMMENDATIONS, Purpose.RECOMMENDATIONS, Purpose.SOCIAL_SHARING, Purpose.AD_TARGETING
    };
    DecisionRequest[] out = new DecisionRequest[n];
    for (int i = 0; i < n; i++) {
      double p = rng.nextDouble();
      UserId subject = UserId.of(1 + rng.nextInt(users));
      if (p < 0.40) {
        out[i] =
            DecisionRequest.about(
                streamflix,
                subject,
                partnerScopes[rng.nextInt(partnerScopes.length)],
                partnerPurposes[rng.nextInt(partnerPurposes.length)],
                NOW);
      } else if (p < 0.55) {
        out[i] =
            DecisionRequest.about(
                tunely,
                subject,
                rng.nextBoolean() ? Scope.FRIENDS_LIST : Scope.MESSAGES_SEND,
                Purpose.RECOMMENDATIONS,
                NOW);
      } else if (p < 0.62) {
        out[i] =
            DecisionRequest.about(
                seekr,
                subject,
                rng.nextBoolean() ? Scope.PROFILE_BASIC : Scope.FRIENDS_LIST,
                Purpose.ANALYTICS,
                NOW);
      } else if (p < 0.95) {
        PartyId unit = p < 0.78 ? ads : p < 0.88 ? ranking : watch;
        Purpose purpose =
            unit == ads
                ? (rng.nextBoolean() ? Purpose.AD_TARGETING : Purpose.AD_MEASUREMENT)
                : unit == ranking ? Purpose.RANKING : Purpose.RECOMMENDATIONS;
        if (rng.nextBoolean()) {
          out[i] = DecisionRequest.about(unit, subject, Scope.DATA_USE, purpose, NOW);
        } else {
          PartyId source = rng.nextBoolean() ? streamflix : PolicySnapshot.PLATFORM;
          String jurisdiction = new String[] {"US", "EU", "DEFAULT"}[rng.nextInt(3)];
          out[i] =
              new DecisionRequest(
                  unit,
                  null,
                  LabelSet.of(
                      new Label(
                          source,
                          DataCategory.VIDEO_VIEWING,
                          org.datapact.core.jurisdiction.RuleSetId.of(jurisdiction))),
                  Scope.DATA_USE,
                  purpose,
                  NOW,
                  rng.nextBoolean() ? streamflix : tunely,
                  0);
        }
      } else {
        PartyId partner =
            PartyId.of(
                String.format("partner-%04d", 7 + rng.nextInt(Math.max(1, agreements.size() - 7))));
        out[i] =
            DecisionRequest.about(
                kinds.containsKey(partner) ? partner : seekr,
                subject,
                Scope.PROFILE_BASIC,
                Purpose.ANALYTICS,
                NOW);
      }
    }
    return out;
  }

  /** Keeps parties, countries and consents; drops the rest. */
  private final class Sink implements WorldSink {
    @Override
    public void parties(List<Party> parties) {
      parties.forEach(p -> kinds.put(p.id(), p.kind()));
    }

    @Override
    public void clients(List<ClientCredential> clients) {}

    @Override
    public void consoleAccounts(List<ConsoleAccount> accounts) {}

    @Override
    public void users(List<User> batch) {
      for (User u : batch) {
        String c = u.country().value();
        int idx = countries.indexOf(c);
        if (idx < 0) {
          countries.add(c);
          idx = countries.size() - 1;
        }
        countryIndex[(int) u.id().value()] = (byte) idx;
      }
    }

    @Override
    public void friendLists(List<FriendList> batch) {}

    @Override
    public void threads(List<InboxThread> batch) {}

    @Override
    public void messages(List<Message> batch) {}

    @Override
    public void agreements(List<AgreementRecord> records) {}

    @Override
    public void attributes(List<org.datapact.core.world.UserAttributes> batch) {}

    @Override
    public void signals(List<org.datapact.core.world.ViewingSignal> batch) {}

    @Override
    public void advertisers(List<org.datapact.core.world.Advertiser> advertisers) {}

    @Override
    public void campaigns(List<org.datapact.core.ads.Campaign> campaigns) {}

    @Override
    public void interests(List<org.datapact.core.agreement.Interest> interests) {}

    @Override
    public void approvals(List<org.datapact.core.agreement.ApprovalRecord> approvals) {}

    @Override
    public void consents(List<ConsentChange> batch) {
      consents.addAll(batch);
    }
  }

  /**
   * @return the rule-set id of a user, for peers that get it as an attribute
   */
  String ruleSet(UserId user) {
    return Jurisdictions.standard()
        .of(CountryCode.of(countries.get(countryIndex[(int) user.value()])))
        .id();
  }

  static Set<String> sources(LabelSet labels) {
    Set<String> s = new HashSet<>();
    labels.labels().forEach(l -> s.add(l.source().value()));
    return s;
  }

  static Duration maxVideo() {
    return Duration.ofDays(730);
  }
}
