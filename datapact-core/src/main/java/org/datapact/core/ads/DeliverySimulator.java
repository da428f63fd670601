package org.datapact.core.ads;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.datapact.core.DataPactException;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.party.PartyId;
import org.datapact.core.world.ProgressListener;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic simulation of ad delivery, one day at a time: each day, the consents and partner
 * signals of that day reach the audience index, each running campaign's segment is evaluated at the
 * day's noon and passed through a {@link Gate} (the decision point and the minimum audience: a
 * campaign refused that day delivers nothing), and then {@code impressionsPerDay} impression
 * opportunities, each for a user drawn uniformly, are sold by a second-price auction among the
 * campaigns whose audience holds the user, whose daily budget is not spent and whose frequency cap
 * for the user ({@value #FREQUENCY_CAP} a day) is not reached. The winner pays the second-highest
 * bid (or the reserve), plus one millicent; CPM campaigns pay per impression, CPC campaigns per
 * click. The same seed, inputs and days give the same results, whatever else ran.
 *
 * <p>Money: prices are millicents (1/1000 cent) per simulated impression; each simulated impression
 * stands for {@code scale} real ones, so that a small demo world carries the platform's volume; a
 * campaign's spend of a day is billed in whole cents (rounded down) and never exceeds its remaining
 * budget, so every sum of results is an exact integer. Budgets are paced evenly over the days a
 * campaign has left. At most {@value #MAX_ACTIVE} campaigns run on one day (the highest bids; one
 * bit each in a user's mask).
 */
public final class DeliverySimulator {
  /** Impressions of one campaign one user sees in a day at most. */
  public static final int FREQUENCY_CAP = 2;

  /** Campaigns that take part in one day's auctions at most. */
  public static final int MAX_ACTIVE = 64;

  /** The lowest price an impression sells for: 0.50 USD per thousand, in millicents. */
  public static final long RESERVE_MILLICENTS = 50;

  /** Predicted click-through rate of every campaign, for a CPC bid's value: 1 %. */
  static final int PREDICTED_CTR_PER_10K = 100;

  /** Click-through rate of a segment on first-party data only: 1.0 %. */
  static final double CTR_FIRST_PARTY = 0.010;

  /** Click-through rate of a segment that also reads partner signals: 1.6 % (the data's lift). */
  static final double CTR_WITH_PARTNER_DATA = 0.016;

  /** Decides whether a campaign may deliver to its audience at a time. */
  @FunctionalInterface
  public interface Gate {
    /**
     * @return why it may not deliver, or null when it may
     */
    @Nullable String refusal(Campaign campaign, Audience audience, Instant at);
  }

  /** Something that happened to the population at a time: a consent change or a signal. */
  public sealed interface Event permits ConsentEvent, SignalEvent {
    /**
     * @return when it happened
     */
    Instant at();

    /** Applies the event to {@code index}. */
    void applyTo(AudienceIndex index);
  }

  /** A consent change (only ad-targeting changes matter). */
  public record ConsentEvent(ConsentChange change) implements Event {
    @Override
    public Instant at() {
      return change.at();
    }

    @Override
    public void applyTo(AudienceIndex index) {
      index.consent(change);
    }
  }

  /** A partner's signal that a user watched a genre. */
  public record SignalEvent(PartyId partner, long user, Genre genre, Instant at) implements Event {
    @Override
    public void applyTo(AudienceIndex index) {
      index.watched(partner, user, genre);
    }
  }

  /**
   * @param seed the simulation's seed
   * @param impressionsPerDay impression opportunities simulated each day
   * @param scale real impressions each simulated one stands for
   */
  public record Settings(long seed, int impressionsPerDay, long scale) {
    /** Validates. */
    public Settings {
      if (impressionsPerDay <= 0 || impressionsPerDay > 100_000_000) {
        throw new IllegalArgumentException("impressions per day must be 1 to 100,000,000");
      }
      if (scale <= 0 || scale > 1_000_000_000L) {
        throw new IllegalArgumentException("scale must be 1 to 1,000,000,000");
      }
    }
  }

  /** One campaign's delivery on one day. */
  public record DayResult(
      long campaignId, LocalDate day, long impressions, long clicks, long spendCents) {}

  /** A campaign refused on a day, with why (the first day of each refusal streak is reported). */
  public record Refused(long campaignId, LocalDate day, String reason) {}

  /** Receives each simulated day. */
  @FunctionalInterface
  public interface Sink {
    /**
     * @param opportunities the impressions offered that day (sold or not)
     */
    void day(LocalDate day, long opportunities, List<DayResult> rows, List<Refused> refused)
        throws DataPactException;
  }

  /** What a run produced in all. */
  public record Summary(
      long days, long opportunities, long impressions, long clicks, long revenueCents) {}

  private final AudienceIndex index;
  private final List<Event> events;
  private final List<Campaign> campaigns;
  private final Gate gate;
  private int nextEvent;

  /**
   * @param index the population at the start, without any event of {@code events} applied
   * @param events consent changes and signals, to be applied in time order (sorted here)
   * @param campaigns every campaign that may run
   */
  public DeliverySimulator(
      AudienceIndex index, List<Event> events, List<Campaign> campaigns, Gate gate) {
    this.index = index;
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(Event::at)); // stable: a user's same-time changes keep order
    this.events = sorted;
    this.campaigns = campaigns.stream().sorted(Comparator.comparingLong(Campaign::id)).toList();
    this.gate = Objects.requireNonNull(gate, "gate");
  }

  /**
   * Simulates the days from {@code from} to {@code to}, inclusive.
   *
   * @throws DataPactException if the sink fails
   */
  public Summary run(
      LocalDate from, LocalDate to, Settings settings, Sink sink, ProgressListener progress)
      throws DataPactException {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("`to` " + to + " is before `from` " + from);
    }
    int[] users = index.userIds();
    int maxId = users.length == 0 ? 0 : users[users.length - 1];
    long[] mask = new long[maxId + 1];
    long[] served = new long[maxId + 1];
    long[] capped = new long[maxId + 1];
    Map<Long, Long> spent = new HashMap<>(); // campaign -> cents billed so far
    Map<Long, String> lastRefusal = new HashMap<>();
    long totalDays = to.toEpochDay() - from.toEpochDay() + 1;
    long opportunities = 0;
    long impressions = 0;
    long clicks = 0;
    long revenue = 0;
    long daysDone = 0;
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(12));
      applyEventsUpTo(at);
      List<Campaign> active = new ArrayList<>();
      for (Campaign c : campaigns) {
        if (c.runsOn(day) && spent.getOrDefault(c.id(), 0L) < c.budgetCents()) {
          active.add(c);
        }
      }
      if (active.size() > MAX_ACTIVE) {
        active.sort(
            Comparator.comparingLong(DeliverySimulator::valueMillicents)
                .reversed()
                .thenComparingLong(Campaign::id));
        active = new ArrayList<>(active.subList(0, MAX_ACTIVE));
        active.sort(Comparator.comparingLong(Campaign::id));
      }
      int k = active.size();
      long[] value = new long[k];
      long[] dailyBudget = new long[k];
      double[] ctr = new double[k];
      long[] dayImpressions = new long[k];
      long[] dayClicks = new long[k];
      long[] dayMillicents = new long[k];
      long exhausted = 0;
      List<Refused> refused = new ArrayList<>();
      Arrays.fill(mask, 0L);
      Arrays.fill(served, 0L);
      Arrays.fill(capped, 0L);
      for (int j = 0; j < k; j++) {
        Campaign c = active.get(j);
        value[j] = valueMillicents(c);
        long daysLeft = c.ends().toEpochDay() - day.toEpochDay() + 1;
        dailyBudget[j] = Math.max(1, (c.budgetCents() - spent.getOrDefault(c.id(), 0L)) / daysLeft);
        ctr[j] = c.segment().sources().isEmpty() ? CTR_FIRST_PARTY : CTR_WITH_PARTNER_DATA;
        Audience a = index.audience(c.segment(), at);
        String why = gate.refusal(c, a, at);
        if (why != null) {
          exhausted |= 1L << j;
          if (!why.equals(lastRefusal.put(c.id(), why))) {
            refused.add(new Refused(c.id(), day, why));
          }
          continue;
        }
        lastRefusal.remove(c.id());
        long bit = 1L << j;
        a.members().forEach((int u) -> mask[u] |= bit);
      }
      SplittableRandom rng =
          new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + day.toEpochDay());
      for (int i = 0; i < settings.impressionsPerDay() && users.length > 0; i++) {
        int u = users[rng.nextInt(users.length)];
        long m = mask[u] & ~capped[u] & ~exhausted;
        if (m == 0) {
          continue;
        }
        int best = -1;
        int second = -1;
        for (long bits = m; bits != 0; bits &= bits - 1) {
          int j = Long.numberOfTrailingZeros(bits);
          if (best < 0 || value[j] > value[best]) {
            second = best;
            best = j;
          } else if (second < 0 || value[j] > value[second]) {
            second = j;
          }
        }
        if (value[best] < RESERVE_MILLICENTS) {
          continue;
        }
        long price =
            Math.min(value[best], Math.max(second < 0 ? 0 : value[second], RESERVE_MILLICENTS) + 1);
        long bit = 1L << best;
        if ((served[u] & bit) != 0) {
          capped[u] |= bit; // FREQUENCY_CAP = 2: the second impression caps the pair
        } else {
          served[u] |= bit;
        }
        dayImpressions[best]++;
        boolean clicked = rng.nextDouble() < ctr[best];
        if (clicked) {
          dayClicks[best]++;
        }
        Campaign c = active.get(best);
        if (c.bidKind() == BidKind.CPM) {
          dayMillicents[best] += price;
        } else if (clicked) {
          dayMillicents[best] += price * 10_000 / PREDICTED_CTR_PER_10K;
        }
        if (dayMillicents[best] * settings.scale() / 1000 >= dailyBudget[best]) {
          exhausted |= bit;
        }
      }
      List<DayResult> rows = new ArrayList<>();
      for (int j = 0; j < k; j++) {
        if (dayImpressions[j] == 0) {
          continue;
        }
        Campaign c = active.get(j);
        long before = spent.getOrDefault(c.id(), 0L);
        long cents = Math.min(dayMillicents[j] * settings.scale() / 1000, c.budgetCents() - before);
        spent.put(c.id(), before + cents);
        long imps = dayImpressions[j] * settings.scale();
        long clk = dayClicks[j] * settings.scale();
        rows.add(new DayResult(c.id(), day, imps, clk, cents));
        impressions += imps;
        clicks += clk;
        revenue += cents;
      }
      long offered = (long) settings.impressionsPerDay() * settings.scale();
      opportunities += offered;
      sink.day(day, offered, rows, refused);
      daysDone++;
      progress.progress("days", daysDone, totalDays);
    }
    return new Summary(daysDone, opportunities, impressions, clicks, revenue);
  }

  /** A bid's value per simulated impression, in millicents. */
  static long valueMillicents(Campaign c) {
    return c.bidKind() == BidKind.CPM
        ? c.bidCents()
        : c.bidCents() * 1000 * PREDICTED_CTR_PER_10K / 10_000;
  }

  private void applyEventsUpTo(Instant at) {
    while (nextEvent < events.size() && !events.get(nextEvent).at().isAfter(at)) {
      events.get(nextEvent++).applyTo(index);
    }
  }
}
