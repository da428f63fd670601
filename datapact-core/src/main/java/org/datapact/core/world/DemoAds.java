package org.datapact.core.world;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.datapact.core.ads.AgeBand;
import org.datapact.core.ads.BidKind;
import org.datapact.core.ads.Campaign;
import org.datapact.core.ads.Genre;
import org.datapact.core.ads.Interest;
import org.datapact.core.ads.Predicate;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.CountryCode;

/**
 * The demo world's ads business, 2012–2019: ten brands and streamflix (a partner that also
 * advertises), each running campaigns every year. Streamflix's campaigns target with its own
 * viewing signals from August 2017, when the ad-targeting exchange began, and budget 160,000,000
 * USD over 2017 against its 150,000,000 USD guarantee; one brand's 2017 campaign tries streamflix's
 * data, which the restriction refuses from August 2017.
 */
final class DemoAds {
  static final PartyId STREAMFLIX = DemoWorldGenerator.STREAMFLIX;

  private static final String[][] BRANDS = {
    {"northwind", "Northwind Outfitters"},
    {"lumen", "Lumen Phones"},
    {"orchard", "Orchard Grocers"},
    {"velo", "Velo Bikes"},
    {"harbor", "Harbor Bank"},
    {"pixelforge", "Pixelforge Games"},
    {"atlas", "Atlas Airlines"},
    {"sprout", "Sprout Baby"},
    {"quill", "Quill Books"},
    {"stride", "Stride Fitness"}
  };

  /** Each brand's favourite interest, so its segments look like its business. */
  private static final Interest[] BRAND_INTEREST = {
    Interest.TRAVEL,
    Interest.TECHNOLOGY,
    Interest.COOKING,
    Interest.SPORTS,
    Interest.NEWS,
    Interest.GAMING,
    Interest.TRAVEL,
    Interest.PARENTING,
    Interest.BOOKS,
    Interest.FITNESS
  };

  private static final String[] MARKETS = {"US", "DE", "FR", "GB", "BR", "IN", "ES", "IT"};

  private DemoAds() {}

  static List<Advertiser> advertisers() {
    List<Advertiser> out = new ArrayList<>();
    out.add(new Advertiser(STREAMFLIX, "Streamflix", STREAMFLIX));
    for (String[] b : BRANDS) {
      out.add(new Advertiser(PartyId.of(b[0]), b[1], null));
    }
    return out;
  }

  static List<Campaign> campaigns(SplittableRandom rng) {
    List<Campaign> out = new ArrayList<>();
    long[] id = {0};
    for (int year = 2012; year <= 2019; year++) {
      for (int b = 0; b < BRANDS.length; b++) {
        int count = 2 + rng.nextInt(3);
        for (int c = 0; c < count; c++) {
          LocalDate starts = LocalDate.of(year, 1, 1).plusDays(rng.nextInt(300));
          LocalDate ends = starts.plusDays(30 + rng.nextInt(60));
          Predicate segment = brandSegment(rng, BRAND_INTEREST[b]);
          boolean cpc = rng.nextDouble() < 0.3;
          out.add(
              new Campaign(
                  ++id[0],
                  PartyId.of(BRANDS[b][0]),
                  BRANDS[b][1] + " " + year + " #" + (c + 1),
                  (5_000_000L + rng.nextInt(20_000_000)) * 100,
                  cpc ? BidKind.CPC : BidKind.CPM,
                  cpc ? 40 + rng.nextInt(200) : 200 + rng.nextInt(900),
                  starts,
                  ends,
                  segment));
        }
      }
      // streamflix: first-party audiences until the exchange, its own signals after
      if (year >= 2013) {
        for (int q = 0; q < 4; q++) {
          LocalDate starts = LocalDate.of(year, 1 + 3 * q, 1);
          LocalDate ends = starts.plusMonths(3).minusDays(1);
          boolean own = !starts.isBefore(LocalDate.of(2017, 7, 1));
          LocalDate from =
              own && starts.isBefore(LocalDate.of(2017, 8, 1)) ? LocalDate.of(2017, 8, 1) : starts;
          Predicate segment =
              own
                  ? new Predicate.Any(
                      List.of(
                          new Predicate.Watched(STREAMFLIX, Genre.values()[q % 8]),
                          new Predicate.Watched(STREAMFLIX, Genre.values()[(q + 2) % 8]),
                          new Predicate.Watched(STREAMFLIX, Genre.values()[(q + 4) % 8]),
                          new Predicate.Watched(STREAMFLIX, Genre.values()[(q + 6) % 8])))
                  : new Predicate.All(
                      List.of(
                          new Predicate.HasInterest(Interest.FILM),
                          new Predicate.Not(new Predicate.InAgeBand(AgeBand.SENIOR))));
          long budget = year == 2017 ? 40_000_000_00L : (8_000_000L + rng.nextInt(4_000_000)) * 100;
          out.add(
              new Campaign(
                  ++id[0],
                  STREAMFLIX,
                  "Streamflix " + year + " Q" + (q + 1) + (own ? " (viewing signals)" : ""),
                  budget,
                  BidKind.CPC,
                  150 + rng.nextInt(150),
                  from,
                  ends,
                  segment));
        }
      }
    }
    // a brand reaching for the partner's data: refused from August 2017 by the restriction
    out.add(
        new Campaign(
            ++id[0],
            PartyId.of("northwind"),
            "Northwind binge watchers 2017",
            12_000_000_00L,
            BidKind.CPM,
            900,
            LocalDate.of(2017, 6, 1),
            LocalDate.of(2017, 12, 31),
            new Predicate.All(
                List.of(
                    new Predicate.Watched(STREAMFLIX, Genre.DRAMA),
                    new Predicate.HasInterest(Interest.TRAVEL)))));
    return out;
  }

  private static Predicate brandSegment(SplittableRandom rng, Interest interest) {
    List<Predicate> parts = new ArrayList<>();
    parts.add(new Predicate.HasInterest(interest));
    if (rng.nextBoolean()) {
      parts.add(new Predicate.InCountry(CountryCode.of(MARKETS[rng.nextInt(MARKETS.length)])));
    }
    if (rng.nextBoolean()) {
      AgeBand a = AgeBand.values()[1 + rng.nextInt(4)];
      AgeBand b = AgeBand.values()[1 + rng.nextInt(4)];
      parts.add(new Predicate.Any(List.of(new Predicate.InAgeBand(a), new Predicate.InAgeBand(b))));
    }
    return parts.size() == 1 ? parts.get(0) : new Predicate.All(parts);
  }
}
