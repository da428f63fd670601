package org.datapact.core.ads;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.junit.jupiter.api.Test;

/**
 * Properties of segments over seeded, generated populations with consent changes interleaved
 * between the segments: a member always holds the ad-targeting consent of the platform and of every
 * partner whose signals the segment reads, and the audience is exactly what a naive per-user
 * evaluation gives. Each failure carries its seed; rerun one with {@code -Ddatapact.seed=<seed>}.
 */
class AudiencePropertyTest {
  private static final long BASE_SEED = Long.getLong("datapact.seed", 20261203L);
  private static final PartyId PLATFORM = PolicySnapshot.PLATFORM;
  private static final PartyId STREAMFLIX = PartyId.of("streamflix");
  private static final PartyId TUNELY = PartyId.of("tunely");
  private static final List<PartyId> PARTNERS = List.of(STREAMFLIX, TUNELY);
  private static final List<String> COUNTRIES = List.of("US", "DE", "FR", "BR", "JP");
  private static final ConsentTopic AD = ConsentTopic.of(Purpose.AD_TARGETING);

  /** A user as the oracle sees them. */
  private record Person(
      long id, String country, AgeBand band, int interests, Set<String> watched) {}

  @Test
  void aNonConsentingUserIsNeverInAnySegment() {
    for (int round = 0; round < 40; round++) {
      long seed = BASE_SEED + round;
      try {
        check(seed);
      } catch (AssertionError e) {
        throw new AssertionError(
            "failed for seed " + seed + " (rerun with -Ddatapact.seed=" + seed + ")", e);
      }
    }
    System.out.println("AudiencePropertyTest: 40 populations from seed " + BASE_SEED);
  }

  private static void check(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    AudienceIndex index = new AudienceIndex(Jurisdictions.standard());
    int n = 200 + rng.nextInt(800);
    List<Person> people = new ArrayList<>();
    for (long id = 1; id <= n; id++) {
      Person p =
          new Person(
              id,
              COUNTRIES.get(rng.nextInt(COUNTRIES.size())),
              AgeBand.values()[rng.nextInt(AgeBand.values().length)],
              rng.nextInt(1 << Interest.values().length),
              new HashSet<>());
      people.add(p);
      index.addUser(id, CountryCode.of(p.country()), p.band(), p.interests());
      for (PartyId partner : PARTNERS) {
        for (Genre g : Genre.values()) {
          if (rng.nextDouble() < 0.2) {
            p.watched().add(partner.value() + ":" + g.wire());
            index.watched(partner, id, g);
          }
        }
      }
    }
    // consent model: party -> user -> expiry (Instant.MAX when none); absent = no consent
    Map<PartyId, Map<Long, Instant>> consent = new HashMap<>();
    Instant now = Instant.parse("2020-01-01T00:00:00Z");
    for (int step = 0; step < 60; step++) {
      int changes = rng.nextInt(2 * n);
      for (int c = 0; c < changes; c++) {
        long user = 1 + rng.nextInt(n);
        PartyId party = rng.nextBoolean() ? PLATFORM : PARTNERS.get(rng.nextInt(2));
        Map<Long, Instant> m = consent.computeIfAbsent(party, k -> new HashMap<>());
        ConsentChange change;
        if (rng.nextDouble() < 0.6) {
          Instant until = rng.nextDouble() < 0.2 ? now.plusSeconds(rng.nextInt(7200) - 3600) : null;
          if (until != null && !until.isAfter(now.minusSeconds(3600))) {
            until = null;
          }
          change =
              ConsentChange.grant(
                  UserId.of(user),
                  party,
                  AD,
                  now.minusSeconds(3600),
                  until,
                  ConsentBasis.EXPLICIT,
                  "test");
          m.put(user, until == null ? Instant.MAX : until);
        } else {
          change = ConsentChange.revoke(UserId.of(user), party, AD, now, "test");
          m.remove(user);
        }
        index.consent(change);
        if (rng.nextDouble() < 0.05) { // a consent about another purpose changes nothing here
          index.consent(
              ConsentChange.grant(
                  UserId.of(user),
                  party,
                  ConsentTopic.of(Purpose.RANKING),
                  now,
                  null,
                  ConsentBasis.EXPLICIT,
                  "test"));
        }
      }
      Predicate p = predicate(rng, 3);
      Instant at = now;
      Audience a = index.audience(p, at);
      Set<Long> expected = new TreeSet<>();
      for (Person person : people) {
        if (holds(p, person)
            && consents(consent, PLATFORM, person.id(), now)
            && p.sources().stream().allMatch(s -> consents(consent, s, person.id(), at))) {
          expected.add(person.id());
        }
      }
      Set<Long> got = new TreeSet<>();
      a.members().forEach((int u) -> got.add((long) u));
      for (long u : got) {
        assertThat(consents(consent, PLATFORM, u, now))
            .as("member %d of %s consents to the platform", u, p.canonical())
            .isTrue();
        for (PartyId s : p.sources()) {
          assertThat(consents(consent, s, u, now))
              .as("member %d of %s consents to %s", u, p.canonical(), s)
              .isTrue();
        }
      }
      assertThat(got).as(p.canonical()).isEqualTo(expected);
      assertThat(a.labels().hasSource(PLATFORM) || got.isEmpty()).isTrue();
      for (PartyId s : p.sources()) {
        assertThat(a.labels().hasSource(s) || got.isEmpty()).as("labelled %s", s).isTrue();
      }
      now = now.plusSeconds(600);
    }
  }

  private static boolean consents(
      Map<PartyId, Map<Long, Instant>> consent, PartyId party, long user, Instant at) {
    Instant until = consent.getOrDefault(party, Map.of()).get(user);
    return until != null && until.isAfter(at);
  }

  private static boolean holds(Predicate p, Person u) {
    if (p instanceof Predicate.InCountry c) {
      return c.country().value().equals(u.country());
    }
    if (p instanceof Predicate.InAgeBand a) {
      return a.band() == u.band();
    }
    if (p instanceof Predicate.HasInterest i) {
      return (u.interests() & i.interest().bit()) != 0;
    }
    if (p instanceof Predicate.Watched w) {
      return u.watched().contains(w.partner().value() + ":" + w.genre().wire());
    }
    if (p instanceof Predicate.All a) {
      return a.of().stream().allMatch(q -> holds(q, u));
    }
    if (p instanceof Predicate.Any a) {
      return a.of().stream().anyMatch(q -> holds(q, u));
    }
    return !holds(((Predicate.Not) p).of(), u);
  }

  private static Predicate predicate(SplittableRandom rng, int depth) {
    int kind = rng.nextInt(depth > 0 ? 7 : 4);
    switch (kind) {
      case 0:
        return new Predicate.InCountry(
            CountryCode.of(COUNTRIES.get(rng.nextInt(COUNTRIES.size()))));
      case 1:
        return new Predicate.InAgeBand(AgeBand.values()[rng.nextInt(AgeBand.values().length)]);
      case 2:
        return new Predicate.HasInterest(Interest.values()[rng.nextInt(Interest.values().length)]);
      case 3:
        return new Predicate.Watched(
            PARTNERS.get(rng.nextInt(2)), Genre.values()[rng.nextInt(Genre.values().length)]);
      case 4:
        return new Predicate.All(operands(rng, depth));
      case 5:
        return new Predicate.Any(operands(rng, depth));
      default:
        return new Predicate.Not(predicate(rng, depth - 1));
    }
  }

  private static List<Predicate> operands(SplittableRandom rng, int depth) {
    List<Predicate> out = new ArrayList<>();
    int k = 1 + rng.nextInt(3);
    for (int i = 0; i < k; i++) {
      out.add(predicate(rng, depth - 1));
    }
    return out;
  }
}
