package org.datapact.server.ads;

import java.time.Instant;
import org.datapact.core.ads.Audience;
import org.datapact.core.ads.AudienceGuard;
import org.datapact.core.ads.AudienceIndex;
import org.datapact.core.ads.Genre;
import org.datapact.core.ads.Predicate;
import org.datapact.core.ads.PredicateText;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionPoint;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.Obligation;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.datapact.store.Database;
import org.datapact.store.ads.AdsStore;
import org.jspecify.annotations.Nullable;

/**
 * The live audience index and the differencing guard. Built at start from what the store holds —
 * users with their attributes, then every ad-targeting consent change and viewing signal in order —
 * and kept current: every consent change the decision point applies reaches the index in the same
 * order (a listener under the decision point's lock), and every viewing signal a partner pushes is
 * indexed once it is stored.
 */
public final class AdsService {
  private final AudienceIndex index;
  private final AudienceGuard guard = new AudienceGuard();
  private final AdsStore store;
  private volatile @org.jspecify.annotations.Nullable Simulating simulating;

  /** A delivery simulation under way beside the running server: days done of days in all. */
  public record Simulating(long days, long of) {}

  private AdsService(AudienceIndex index, AdsStore store) {
    this.index = index;
    this.store = store;
  }

  /**
   * Loads the index and registers it with the decision point. INVARIANT: called before the server
   * takes requests, so that no consent change falls between the load and the registration.
   *
   * @param adConsents the ad-targeting consent changes the decision point's snapshot was built
   *     from, in history order (read with it, not again)
   * @return the ads service with its audience index built from the store
   */
  public static AdsService load(
      Database db,
      DecisionPoint decisions,
      Instant now,
      java.util.List<org.datapact.core.consent.ConsentChange> adConsents) {
    AdsStore store = new AdsStore(db);
    AudienceIndex index = new AudienceIndex(Jurisdictions.standard());
    store.loadPopulation(index);
    store.events(adConsents).forEach(e -> e.applyTo(index));
    index.optimise();
    decisions.onConsentChange(index::consent);
    AdsService ads = new AdsService(index, store);
    for (AdsStore.SegmentRow s : store.segments(null)) {
      ads.guard.remember(s.advertiser(), index.audience(PredicateText.parse(s.definition()), now));
    }
    return ads;
  }

  /**
   * Records how far a delivery simulation running beside the server has come: until it finishes,
   * the revenue and spend the ads pages show are partial, and they say so.
   */
  public void simulating(long days, long of) {
    this.simulating = new Simulating(days, of);
  }

  /** Records that the simulation running beside the server has ended (finished or failed). */
  public void simulationEnded() {
    this.simulating = null;
  }

  /**
   * @return the simulation under way beside the server, if one is
   */
  public java.util.Optional<Simulating> simulation() {
    return java.util.Optional.ofNullable(simulating);
  }

  /**
   * @return the audience {@code definition} selects now
   */
  Audience audience(Predicate definition, Instant at) {
    return index.audience(definition, at);
  }

  /**
   * @return the guard that keeps sizes from singling anyone out
   */
  AudienceGuard guard() {
    return guard;
  }

  /**
   * @return the store's ads tables
   */
  AdsStore store() {
    return store;
  }

  /**
   * @return the question of targeting {@code audience} for {@code advertiser} at {@code at}: a
   *     dataset request carrying the labels of what the audience was built from
   */
  static DecisionRequest targeting(
      PartyId principal, Audience audience, PartyId advertiser, Instant at) {
    return new DecisionRequest(
        principal,
        null,
        audience.labels(),
        Scope.DATA_USE,
        Purpose.AD_TARGETING,
        at,
        advertiser,
        0);
  }

  /**
   * @return the smallest audience an allowed decision lets out: the default, or an agreement's
   *     larger aggregate-only cohort
   */
  static int minimumFor(Decision d) {
    return Math.max(
        AudienceGuard.DEFAULT_MINIMUM,
        d.obligation(Obligation.AggregateOnly.class)
            .map(Obligation.AggregateOnly::minCohort)
            .orElse(0));
  }

  /** Indexes a viewing signal a partner pushed, if it names a genre DataPact knows. */
  public void signal(PartyId partner, UserId user, com.fasterxml.jackson.databind.JsonNode signal) {
    @Nullable Genre g = AdsStore.genreOf(signal);
    if (g != null) {
      index.watched(partner, user.value(), g);
    }
  }

  /**
   * @return what each party's advertiser accounts spent, in US cents, by {@code party/year}, from
   *     the stored delivery: what a guaranteed-spend duty is measured against
   */
  public java.util.Map<String, Long> spentByPartyYear() {
    java.util.Map<PartyId, PartyId> partyOfAdvertiser = new java.util.HashMap<>();
    store.advertisers().forEach(a -> partyOfAdvertiser.put(a.id(), a.party()));
    java.util.Map<Long, PartyId> advertiserOf = new java.util.HashMap<>();
    store.campaigns().forEach(r -> advertiserOf.put(r.campaign().id(), r.campaign().advertiser()));
    java.util.Map<String, Long> spent = new java.util.HashMap<>();
    for (AdsStore.CampaignYear y : store.deliveryByCampaignYear()) {
      PartyId advertiser = advertiserOf.get(y.campaignId());
      PartyId party = advertiser == null ? null : partyOfAdvertiser.get(advertiser);
      if (party != null) {
        spent.merge(party.value() + "/" + y.year(), y.spendCents(), Long::sum);
      }
    }
    return spent;
  }

  /**
   * @return the stored segments whose audience, as the index has it at {@code at}, counts {@code
   *     user} in: what a user's export lists
   */
  public java.util.List<AdsStore.SegmentRow> segmentsOf(UserId user, Instant at) {
    java.util.List<AdsStore.SegmentRow> out = new java.util.ArrayList<>();
    for (AdsStore.SegmentRow s : store.segments(null)) {
      if (index.audience(PredicateText.parse(s.definition()), at).contains(user.value())) {
        out.add(s);
      }
    }
    return out;
  }
}
