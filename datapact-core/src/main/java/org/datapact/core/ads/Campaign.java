package org.datapact.core.ads;

import java.time.LocalDate;
import java.util.Objects;
import org.datapact.core.party.PartyId;

/**
 * An advertiser's campaign: what it may spend, how it bids, when it runs and whom it targets.
 *
 * @param advertiser the advertiser, as the party the targeting is on behalf of
 * @param budgetCents the most it spends over its whole schedule, in US cents
 * @param bidCents cents per thousand impressions ({@link BidKind#CPM}) or per click ({@link
 *     BidKind#CPC})
 * @param starts the first day it runs (UTC)
 * @param ends the last day it runs, inclusive
 * @param segment the audience definition
 */
public record Campaign(
    long id,
    PartyId advertiser,
    String name,
    long budgetCents,
    BidKind bidKind,
    long bidCents,
    LocalDate starts,
    LocalDate ends,
    Predicate segment) {

  /** The largest budget one campaign may have: 10 billion USD, in cents. */
  public static final long MAX_BUDGET_CENTS = 1_000_000_000_000L;

  /** The largest bid: 1,000 USD per thousand impressions or per click, in cents. */
  public static final long MAX_BID_CENTS = 100_000L;

  /**
   * Validates: a positive budget and bid under their caps, a schedule that ends after it starts.
   */
  public Campaign {
    Objects.requireNonNull(advertiser, "advertiser");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bidKind, "bidKind");
    Objects.requireNonNull(starts, "starts");
    Objects.requireNonNull(ends, "ends");
    Objects.requireNonNull(segment, "segment");
    if (budgetCents <= 0 || budgetCents > MAX_BUDGET_CENTS) {
      throw new IllegalArgumentException(
          "budget must be between 1 cent and " + MAX_BUDGET_CENTS + " cents, got " + budgetCents);
    }
    if (bidCents <= 0 || bidCents > MAX_BID_CENTS) {
      throw new IllegalArgumentException(
          "bid must be between 1 cent and " + MAX_BID_CENTS + " cents, got " + bidCents);
    }
    if (ends.isBefore(starts)) {
      throw new IllegalArgumentException(
          "the schedule ends " + ends + " before it starts " + starts);
    }
  }

  /**
   * @return whether the campaign runs on {@code day}
   */
  public boolean runsOn(LocalDate day) {
    return !day.isBefore(starts) && !day.isAfter(ends);
  }

  /**
   * @return the data behind its targeting: {@code first-party}, or {@code first-party+<partner>…}
   */
  public String dataSource() {
    StringBuilder b = new StringBuilder("first-party");
    segment.sources().forEach(p -> b.append('+').append(p.value()));
    return b.toString();
  }
}
