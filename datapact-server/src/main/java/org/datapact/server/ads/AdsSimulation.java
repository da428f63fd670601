package org.datapact.server.ads;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.datapact.core.DataPactException;
import org.datapact.core.ads.Audience;
import org.datapact.core.ads.AudienceIndex;
import org.datapact.core.ads.Campaign;
import org.datapact.core.ads.DeliverySimulator;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartyId;
import org.datapact.core.world.ProgressListener;
import org.datapact.store.Database;
import org.datapact.store.ads.AdsStore;
import org.datapact.store.policy.PolicyStore;

/**
 * Runs the delivery simulation over the stored world and stores its results. Each campaign, each
 * day, is decided by the decision point at that day's noon — the {@code ads} unit targeting with
 * the audience's labels on the advertiser's behalf, under the agreements as they stood that day —
 * and must reach the minimum audience; a refused campaign delivers nothing that day. These
 * decisions replay history inside DataPact and release nothing, so they are not ledgered; a segment
 * built or a campaign created through the API is.
 */
public final class AdsSimulation {
  /** The unit that targets ads. */
  public static final PartyId ADS = PartyId.of("ads");

  /** The platform's users the demo world stands for, to scale its impressions (2 billion). */
  public static final long PLATFORM_USERS = 2_000_000_000L;

  private AdsSimulation() {}

  /**
   * Simulates {@code from}–{@code to} and replaces the stored simulation with the result.
   *
   * @return the totals
   * @throws DataPactException if the store fails
   */
  public static DeliverySimulator.Summary run(
      Database db,
      LocalDate from,
      LocalDate to,
      DeliverySimulator.Settings settings,
      Clock clock,
      ProgressListener progress)
      throws DataPactException {
    PolicySnapshot policy = new PolicyStore(db).loadSnapshot(Jurisdictions.standard());
    AdsStore store = new AdsStore(db);
    AudienceIndex index = new AudienceIndex(Jurisdictions.standard());
    store.loadPopulation(index);
    List<Campaign> campaigns =
        store.campaigns().stream().map(AdsStore.CampaignRow::campaign).toList();
    DeliverySimulator simulator =
        new DeliverySimulator(
            index, store.events(), campaigns, (c, a, at) -> refusal(policy, c, a, at));
    try (org.datapact.store.ads.SimulationWriter writer = store.simulationWriter()) {
      DeliverySimulator.Summary summary =
          simulator.run(
              from,
              to,
              settings,
              (day, offered, rows, refused) -> writer.day(rows, refused),
              progress);
      writer.finish(settings, from, to, summary, clock.instant());
      return summary;
    }
  }

  /**
   * @return why {@code c} may not deliver to {@code a} at {@code at}, or null when it may
   */
  static @org.jspecify.annotations.Nullable String refusal(
      PolicySnapshot policy, Campaign c, Audience a, Instant at) {
    if (a.size() == 0) {
      return "the audience is empty";
    }
    Decision d = policy.decide(AdsService.targeting(ADS, a, c.advertiser(), at));
    if (!d.allowed()) {
      return String.join(
          "; ", d.reasons().stream().map(r -> r.rule() + ": " + r.detail()).toList());
    }
    int min = AdsService.minimumFor(d);
    return a.size() < min ? "the audience has fewer than " + min + " users" : null;
  }

  /**
   * @return the default scale: each simulated impression stands for as many as the platform's users
   *     per demo user
   */
  public static long defaultScale(int users) {
    return Math.max(1, PLATFORM_USERS / Math.max(1, users));
  }
}
