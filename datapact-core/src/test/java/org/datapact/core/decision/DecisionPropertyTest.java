package org.datapact.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementRecord.StatusChange;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.Filing;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.Prohibition;
import org.datapact.core.agreement.ReportPeriod;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.label.Label;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.junit.jupiter.api.Test;

/**
 * Properties of the decision point over seeded, generated worlds and requests. Each failure message
 * carries the seed of its world; rerun one with {@code -Ddatapact.seed=<seed>}.
 */
class DecisionPropertyTest {
  private static final long BASE_SEED = Long.getLong("datapact.seed", 20261129L);
  private static final int WORLDS = Integer.getInteger("datapact.worlds", 40);
  private static final int REQUESTS = 250;
  private static final List<PartyId> PARTNERS =
      List.of(PartyId.of("alpha"), PartyId.of("beta"), PartyId.of("gamma"));
  private static final List<PartyId> UNITS = List.of(PartyId.of("ads"), PartyId.of("watch"));
  private static final List<String> COUNTRIES = List.of("US", "DE", "FR", "BR", "JP", "IE");
  private static final List<String> TERMS = List.of("US", "EU", "DEFAULT", "DE", "BR");
  private static final Instant T0 = Instant.parse("2015-01-01T00:00:00Z");
  private static final long SPAN = Duration.ofDays(3650).getSeconds();

  /** A generated world: agreements, subjects, consent history. */
  record World(
      long seed,
      List<AgreementRecord> agreements,
      Map<UserId, CountryCode> subjects,
      List<ConsentChange> consents,
      List<Filing> filings) {
    PolicySnapshot snapshot() {
      return snapshot(agreements, consents);
    }

    PolicySnapshot snapshot(List<AgreementRecord> a, List<ConsentChange> c) {
      Map<PartyId, PartyKind> kinds = new HashMap<>();
      PARTNERS.forEach(p -> kinds.put(p, PartyKind.PARTNER));
      UNITS.forEach(p -> kinds.put(p, PartyKind.UNIT));
      PolicySnapshot.Builder b =
          PolicySnapshot.builder(Jurisdictions.standard(), kinds).agreements(a);
      subjects.forEach(b::subject);
      c.forEach(b::consent);
      filings.forEach(b::filing);
      return b.build();
    }
  }

  private static Instant time(SplittableRandom rng) {
    return T0.plusSeconds(rng.nextLong(SPAN));
  }

  private static <T> T pick(SplittableRandom rng, List<T> from) {
    return from.get(rng.nextInt(from.size()));
  }

  private static <E extends Enum<E>> Set<E> someOf(SplittableRandom rng, Class<E> type) {
    Set<E> out = EnumSet.noneOf(type);
    for (E e : type.getEnumConstants()) {
      if (rng.nextDouble() < 0.4) {
        out.add(e);
      }
    }
    if (out.isEmpty()) {
      out.add(type.getEnumConstants()[rng.nextInt(type.getEnumConstants().length)]);
    }
    return out;
  }

  static World world(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<PartyId> principals = new ArrayList<>(PARTNERS);
    principals.addAll(UNITS);
    List<AgreementRecord> agreements = new ArrayList<>();
    int count = 1 + rng.nextInt(4);
    for (int a = 0; a < count; a++) {
      List<Permission> perms = new ArrayList<>();
      for (int i = 0, n = 1 + rng.nextInt(5); i < n; i++) {
        Set<String> in = new HashSet<>();
        Set<String> out = new HashSet<>();
        if (rng.nextDouble() < 0.3) {
          in.add(pick(rng, TERMS));
        }
        if (rng.nextDouble() < 0.3) {
          String t = pick(rng, TERMS);
          if (!in.contains(t)) {
            out.add(t);
          }
        }
        Constraints c = Constraints.NONE.withJurisdictions(in, out);
        if (rng.nextDouble() < 0.2) {
          c =
              c.withRateLimit(
                  new Constraints.RateLimit(1 + rng.nextInt(10), Duration.ofSeconds(1)));
        }
        perms.add(
            new Permission(
                "p" + i,
                pick(rng, principals),
                pick(rng, List.of(Scope.values())),
                someOf(rng, Purpose.class),
                c));
      }
      List<Prohibition> prohibitions = new ArrayList<>();
      if (rng.nextDouble() < 0.4) {
        prohibitions.add(
            new Prohibition(
                "x" + a,
                Set.of(pick(rng, PARTNERS)),
                rng.nextBoolean() ? Set.of() : Set.of(pick(rng, principals)),
                rng.nextBoolean() ? Set.of() : Set.of(pick(rng, List.of(Purpose.values()))),
                rng.nextBoolean() ? Set.of() : Set.of(pick(rng, PARTNERS))));
      }
      Instant proposed = time(rng);
      List<StatusChange> history = new ArrayList<>();
      history.add(new StatusChange(AgreementStatus.PENDING_APPROVAL, proposed, "op"));
      if (rng.nextDouble() < 0.85) {
        Instant active = proposed.plusSeconds(rng.nextLong(SPAN / 10));
        history.add(new StatusChange(AgreementStatus.ACTIVE, active, "op2"));
        if (rng.nextDouble() < 0.3) {
          Instant suspended = active.plusSeconds(rng.nextLong(SPAN / 2));
          history.add(new StatusChange(AgreementStatus.SUSPENDED, suspended, "system"));
          if (rng.nextBoolean()) { // reinstated: periods in the gap owe no report
            history.add(
                new StatusChange(
                    AgreementStatus.ACTIVE, suspended.plusSeconds(rng.nextLong(SPAN / 4)), "op"));
          }
        }
      }
      agreements.add(
          new AgreementRecord(
              new AgreementVersion(
                  "agreement-" + a,
                  1,
                  pick(rng, PARTNERS),
                  "generated",
                  T0,
                  null,
                  perms,
                  prohibitions,
                  duties(rng, a, perms, partnerOf(perms, rng))),
              history));
    }
    List<Filing> filings = new ArrayList<>();
    for (AgreementRecord r : agreements) {
      for (Duty d : r.terms().duties()) {
        Duty.Report duty = d.match(x -> x, x -> null);
        if (duty == null) {
          continue;
        }
        double filedShare = rng.nextDouble();
        for (ReportPeriod p = ReportPeriod.containing(duty.period(), T0);
            p.from().isBefore(T0.plusSeconds(SPAN));
            p = p.next()) {
          if (rng.nextDouble() < filedShare) {
            filings.add(new Filing(duty.party(), duty.metric(), p.toString()));
          }
        }
      }
    }
    Map<UserId, CountryCode> subjects = new HashMap<>();
    List<ConsentChange> consents = new ArrayList<>();
    List<PartyId> consentParties = new ArrayList<>(PARTNERS);
    consentParties.add(PolicySnapshot.PLATFORM);
    for (long u = 1; u <= 20; u++) {
      UserId user = UserId.of(u);
      subjects.put(user, CountryCode.of(pick(rng, COUNTRIES)));
      for (int i = 0, n = rng.nextInt(6); i < n; i++) {
        PartyId party = pick(rng, consentParties);
        ConsentTopic topic =
            rng.nextDouble() < 0.15
                ? ConsentTopic.VIDEO_SHARING
                : ConsentTopic.of(pick(rng, List.of(Purpose.values())));
        Instant at = time(rng);
        if (rng.nextDouble() < 0.2) {
          consents.add(ConsentChange.revoke(user, party, topic, at, "gen"));
        } else {
          Instant expires =
              rng.nextDouble() < 0.3 ? at.plusSeconds(1 + rng.nextLong(SPAN / 3)) : null;
          consents.add(
              ConsentChange.grant(
                  user,
                  party,
                  topic,
                  at,
                  expires,
                  rng.nextBoolean() ? ConsentBasis.EXPLICIT : ConsentBasis.TERMS,
                  "gen"));
        }
      }
    }
    consents.sort(java.util.Comparator.comparing(ConsentChange::at));
    return new World(seed, agreements, subjects, consents, filings);
  }

  private static PartyId partnerOf(List<Permission> perms, SplittableRandom rng) {
    return pick(rng, PARTNERS);
  }

  /** A report duty gating some of the version's permissions, in a third of the agreements. */
  private static List<Duty> duties(
      SplittableRandom rng, int a, List<Permission> perms, PartyId party) {
    if (perms.isEmpty() || rng.nextDouble() >= 0.35) {
      return List.of();
    }
    Set<String> gates = new HashSet<>();
    for (Permission p : perms) {
      if (rng.nextBoolean()) {
        gates.add(p.id());
      }
    }
    return List.of(
        new Duty.Report(
            "r" + a,
            party,
            pick(rng, List.of("recommendation_sends", "recipient_clicks")),
            pick(rng, List.of("month", "quarter", "year")),
            rng.nextInt(20),
            rng.nextInt(10),
            5,
            gates));
  }

  /**
   * @return whether, by brute force over every period, some report a duty gating the allowing
   *     permission asked for is missing past its deadline at the request's time
   */
  private static boolean reportMissingPastItsDeadline(
      List<AgreementRecord> agreements, List<Filing> filings, String rule, Instant at) {
    String ref = rule.substring(0, rule.indexOf('#'));
    String permission = rule.substring(rule.indexOf('#') + 1);
    Set<Filing> filed = new HashSet<>(filings);
    for (AgreementRecord r : agreements) {
      if (!r.terms().ref().equals(ref)) {
        continue;
      }
      for (Duty d : r.terms().duties()) {
        Duty.Report duty = d.match(x -> x, x -> null);
        if (duty == null || !duty.gates().contains(permission)) {
          continue;
        }
        for (ReportPeriod p = ReportPeriod.containing(duty.period(), T0);
            !p.suspendsUnder(duty).isAfter(at);
            p = p.next()) {
          if (r.activeDuring(p.from(), p.until())
              && !filed.contains(new Filing(duty.party(), duty.metric(), p.toString()))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  void aGatedPermissionAllowsExactlyWhenNoReportItDependsOnIsMissingPastItsDeadline() {
    int[] seen = new int[2];
    forAll(
        "duties that bite = brute force over every period",
        (w, rng) -> {
          PolicySnapshot s = w.snapshot();
          List<AgreementRecord> none = new ArrayList<>();
          for (AgreementRecord r : w.agreements()) {
            none.add(
                new AgreementRecord(
                    new AgreementVersion(
                        r.terms().agreementId(),
                        r.terms().version(),
                        r.terms().counterparty(),
                        r.terms().title(),
                        r.terms().effectiveFrom(),
                        r.terms().effectiveUntil(),
                        r.terms().permissions(),
                        r.terms().prohibitions(),
                        List.of()),
                    r.history()));
          }
          PolicySnapshot withoutDuties = w.snapshot(none, w.consents());
          List<AgreementRecord> gated = new ArrayList<>();
          for (AgreementRecord a : w.agreements()) {
            if (!a.terms().duties().isEmpty()) {
              gated.add(a);
            }
          }
          Set<Filing> filed = new HashSet<>(w.filings());
          for (int i = 0; i < REQUESTS * 4; i++) {
            DecisionRequest r = request(rng, w);
            if (!gated.isEmpty() && rng.nextBoolean()) {
              // a gated permission asked for near the due date or the end of the grace of the first
              // report its duty misses, where an off-by-one would show
              AgreementRecord a = pick(rng, gated);
              Duty.Report d = a.terms().duties().get(0).match(x -> x, x -> null);
              Permission p = pick(rng, a.terms().permissions());
              Instant activated =
                  a.history().stream()
                      .filter(c -> c.status() == AgreementStatus.ACTIVE)
                      .map(StatusChange::at)
                      .findFirst()
                      .orElse(T0);
              ReportPeriod first = ReportPeriod.containing(d.period(), activated);
              while (first.from().isBefore(T0.plusSeconds(2 * SPAN))
                  && (filed.contains(new Filing(d.party(), d.metric(), first.toString()))
                      || !a.activeDuring(first.from(), first.until()))) {
                first = first.next();
              }
              Instant edge = rng.nextBoolean() ? first.dueUnder(d) : first.suspendsUnder(d);
              r =
                  DecisionRequest.about(
                      p.assignee(),
                      UserId.of(1 + rng.nextInt(20)),
                      p.scope(),
                      pick(rng, List.copyOf(p.purposes())),
                      edge.plusSeconds(rng.nextLong(-2 * 86_400, 2 * 86_400)));
            }
            Decision without = withoutDuties.decide(r);
            Decision with = s.decide(r);
            if (!without.allowed()) {
              assertThat(with.allowed()).as("a duty never widens: %s", r).isFalse();
              continue;
            }
            boolean missing =
                reportMissingPastItsDeadline(
                    w.agreements(), w.filings(), without.reasons().get(0).rule(), r.at());
            assertThat(with.allowed())
                .as("%s (missing report: %s)", r, missing)
                .isEqualTo(!missing);
            if (missing) {
              assertThat(with.reasons())
                  .extracting(Reason::code)
                  .containsExactly(ReasonCode.DUTY_OVERDUE);
            }
            seen[missing ? 1 : 0]++;
          }
        });
    assertThat(seen[1]).as("requests a missing report suspended").isPositive();
    assertThat(seen[0]).as("requests allowed with their duties met").isPositive();
  }

  static DecisionRequest request(SplittableRandom rng, World w) {
    List<PartyId> principals = new ArrayList<>(PARTNERS);
    principals.addAll(UNITS);
    PartyId principal = pick(rng, principals);
    Scope scope = pick(rng, List.of(Scope.values()));
    Purpose purpose = pick(rng, List.of(Purpose.values()));
    Instant at = time(rng);
    LabelSet labels =
        rng.nextDouble() < 0.5
            ? LabelSet.EMPTY
            : LabelSet.of(
                new Label(
                    pick(rng, PARTNERS),
                    pick(rng, List.of(DataCategory.values())),
                    org.datapact.core.jurisdiction.RuleSetId.of(
                        pick(rng, List.of("US", "EU", "DEFAULT")))));
    UserId subject = labels.isEmpty() || rng.nextBoolean() ? UserId.of(1 + rng.nextInt(20)) : null;
    PartyId onBehalf = rng.nextDouble() < 0.3 ? pick(rng, PARTNERS) : null;
    return new DecisionRequest(
        principal, subject, labels, scope, purpose, at, onBehalf, rng.nextInt(12));
  }

  interface Property {
    void check(World w, SplittableRandom rng);
  }

  private static void forAll(String name, Property p) {
    for (int i = 0; i < WORLDS; i++) {
      long seed = BASE_SEED + i;
      World w = world(seed);
      try {
        p.check(w, new SplittableRandom(seed * 31 + 7));
      } catch (AssertionError e) {
        throw new AssertionError(
            name
                + " failed for seed "
                + seed
                + " (rerun with -Ddatapact.seed="
                + seed
                + " -Ddatapact.worlds=1): "
                + e.getMessage(),
            e);
      }
    }
  }

  @Test
  void defaultDeny() {
    forAll(
        "default deny",
        (w, rng) -> {
          PolicySnapshot empty = w.snapshot(List.of(), w.consents());
          for (int i = 0; i < REQUESTS; i++) {
            DecisionRequest r = request(rng, w);
            assertThat(empty.decide(r).allowed()).as("%s", r).isFalse();
          }
        });
  }

  @Test
  void noAllowWithoutAnActiveAgreementAndAValidConsent() {
    int[] allowed = {0, 0};
    forAll(
        "no allow without agreement and consent",
        (w, rng) -> {
          PolicySnapshot s = w.snapshot();
          for (int i = 0; i < REQUESTS; i++) {
            DecisionRequest r = request(rng, w);
            Decision d = s.decide(r);
            allowed[1]++;
            if (!d.allowed()) {
              continue;
            }
            allowed[0]++;
            // an independent, naive oracle over the raw records and history
            boolean permitted =
                w.agreements().stream()
                    .anyMatch(
                        a ->
                            a.activeAt(r.at())
                                && a.terms().permissions().stream()
                                    .anyMatch(
                                        p ->
                                            p.assignee().equals(r.principal())
                                                && p.scope() == r.scope()
                                                && p.purposes().contains(r.purpose())));
            assertThat(permitted)
                .as("allowed without an active permitting agreement: %s", r)
                .isTrue();
            if (r.subject() != null) {
              PartyId consentParty =
                  UNITS.contains(r.principal()) ? PolicySnapshot.PLATFORM : r.principal();
              ConsentChange last = null;
              for (ConsentChange c : w.consents()) {
                if (c.user().equals(r.subject())
                    && c.party().equals(consentParty)
                    && c.topic().equals(ConsentTopic.of(r.purpose()))) {
                  last = c;
                }
              }
              assertThat(last).as("allowed without any consent: %s", r).isNotNull();
              assertThat(last.granted()).as("allowed after a revoke: %s", r).isTrue();
              assertThat(last.at()).isBeforeOrEqualTo(r.at());
              assertThat(last.expiresAt() == null || last.expiresAt().isAfter(r.at()))
                  .as("expired consent: %s", r)
                  .isTrue();
            }
            assertThat(d.reasons()).extracting(Reason::code).containsExactly(ReasonCode.PERMITTED);
          }
        });
    // the property is not vacuous: the generated worlds allow a share of requests
    assertThat(allowed[0])
        .as("allowed %d of %d", allowed[0], allowed[1])
        .isGreaterThan(allowed[1] / 200);
  }

  @Test
  void revokingNeverWidens() {
    forAll(
        "revoking never widens",
        (w, rng) -> {
          PolicySnapshot before = w.snapshot();
          for (int k = 0; k < 20; k++) {
            UserId user = UserId.of(1 + rng.nextInt(20));
            List<PartyId> parties = new ArrayList<>(PARTNERS);
            parties.add(PolicySnapshot.PLATFORM);
            ConsentChange revoke =
                ConsentChange.revoke(
                    user,
                    pick(rng, parties),
                    rng.nextDouble() < 0.2
                        ? ConsentTopic.VIDEO_SHARING
                        : ConsentTopic.of(pick(rng, List.of(Purpose.values()))),
                    T0.plusSeconds(SPAN + 1),
                    "prop");
            PolicySnapshot after = before.withConsent(revoke);
            for (int i = 0; i < REQUESTS / 10; i++) {
              DecisionRequest r = request(rng, w);
              if (after.decide(r).allowed()) {
                assertThat(before.decide(r).allowed())
                    .as("revoke %s widened %s", revoke, r)
                    .isTrue();
              }
            }
            before = after;
          }
        });
  }

  @Test
  void addingAProhibitionNeverWidens() {
    forAll(
        "adding a prohibition never widens",
        (w, rng) -> {
          PolicySnapshot before = w.snapshot();
          List<AgreementRecord> more = new ArrayList<>(w.agreements());
          List<PartyId> principals = new ArrayList<>(PARTNERS);
          principals.addAll(UNITS);
          more.add(
              new AgreementRecord(
                  new AgreementVersion(
                      "extra",
                      1,
                      pick(rng, PARTNERS),
                      "extra",
                      T0,
                      null,
                      List.of(),
                      List.of(
                          new Prohibition(
                              "extra",
                              Set.of(pick(rng, PARTNERS)),
                              rng.nextBoolean() ? Set.of() : Set.of(pick(rng, principals)),
                              rng.nextBoolean()
                                  ? Set.of()
                                  : Set.of(pick(rng, List.of(Purpose.values()))),
                              Set.of())),
                      List.of()),
                  List.of(new StatusChange(AgreementStatus.ACTIVE, T0, "op"))));
          PolicySnapshot after = before.withAgreements(more);
          for (int i = 0; i < REQUESTS; i++) {
            DecisionRequest r = request(rng, w);
            if (after.decide(r).allowed()) {
              assertThat(before.decide(r).allowed()).as("prohibition widened %s", r).isTrue();
            }
          }
        });
  }

  @Test
  void allowsAnswersWhatDecideAllows() {
    int[] seen = new int[2];
    forAll(
        "allows = decide().allowed()",
        (w, rng) -> {
          PolicySnapshot s = w.snapshot();
          for (int i = 0; i < REQUESTS; i++) {
            DecisionRequest r = request(rng, w);
            boolean allowed = s.decide(r).allowed();
            assertThat(s.allows(r)).as("%s", r).isEqualTo(allowed);
            seen[allowed ? 1 : 0]++;
          }
        });
    // the generated requests reach both answers, so the equality says something about each
    assertThat(seen[0]).as("denied requests generated").isPositive();
    assertThat(seen[1]).as("allowed requests generated").isPositive();
  }

  @Test
  void decisionsAreDeterministicForASnapshot() {
    forAll(
        "determinism",
        (w, rng) -> {
          PolicySnapshot a = w.snapshot();
          PolicySnapshot b = w.snapshot();
          assertThat(a.policyHash()).isEqualTo(b.policyHash());
          for (int i = 0; i < REQUESTS; i++) {
            DecisionRequest r = request(rng, w);
            Decision first = a.decide(r);
            assertThat(a.decide(r)).isEqualTo(first);
            assertThat(b.decide(r)).isEqualTo(first);
          }
        });
  }

  @Test
  void filingsAppliedOneByOneEqualARebuild() {
    forAll(
        "incremental filings = rebuild",
        (w, rng) -> {
          World none = new World(w.seed(), w.agreements(), w.subjects(), w.consents(), List.of());
          PolicySnapshot s = none.snapshot();
          for (Filing f : w.filings()) {
            s = s.withFiling(f);
          }
          PolicySnapshot rebuilt = w.snapshot();
          assertThat(s.policyHash()).isEqualTo(rebuilt.policyHash());
          for (int i = 0; i < REQUESTS; i++) {
            DecisionRequest r = request(rng, w);
            assertThat(s.decide(r)).as("%s", r).isEqualTo(rebuilt.decide(r));
          }
        });
  }

  @Test
  void incrementalConsentUpdatesEqualARebuild() {
    forAll(
        "incremental = rebuild",
        (w, rng) -> {
          int half = w.consents().size() / 2;
          PolicySnapshot incremental = w.snapshot(w.agreements(), w.consents().subList(0, half));
          for (ConsentChange c : w.consents().subList(half, w.consents().size())) {
            incremental = incremental.withConsent(c);
          }
          PolicySnapshot rebuilt = w.snapshot();
          for (int i = 0; i < REQUESTS; i++) {
            DecisionRequest r = request(rng, w);
            assertThat(incremental.decide(r).effect())
                .as("%s", r)
                .isEqualTo(rebuilt.decide(r).effect());
          }
        });
  }
}
