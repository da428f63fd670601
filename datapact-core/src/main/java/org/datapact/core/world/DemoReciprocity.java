package org.datapact.core.world;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.ReportPeriod;
import org.datapact.core.party.PartyId;

/**
 * The reciprocity reports the demo's partners filed before the demo first started: every period a
 * report duty covered whose deadline (due date plus grace) had passed by then, filed on time — with
 * two exceptions the demo is there to show. tunely never filed its latest such report, so its
 * {@code send} permission is suspended from the first start; and streamflix's latest {@code
 * recipient_clicks} report ({@link DemoFiling#overstated}) claims {@value #OVERSTATED_CLICKS} more
 * than DataPact counted, so reconciliation flags it.
 *
 * <p>Unlike the rest of the world this depends on the day of first start (the periods owed end
 * then), not on the seed alone: a report duty covers periods up to today. The figures filed are
 * what DataPact itself counted (the writer reads them), since the generated world's history carries
 * no recommendation links of its own, so every other filing reconciles.
 */
public final class DemoReciprocity {
  private DemoReciprocity() {}

  /** How many recipient clicks streamflix claims beyond DataPact's count in its flagged report. */
  public static final long OVERSTATED_CLICKS = 1_840;

  /**
   * One filing of the demo's history.
   *
   * @param agreement the reference of the agreement version whose duty it meets
   */
  public record DemoFiling(
      PartyId partner,
      String agreement,
      String dutyId,
      String metric,
      ReportPeriod period,
      Instant filedAt,
      String filedBy,
      boolean overstated) {}

  /**
   * @return the filings, oldest first
   */
  public static List<DemoFiling> filings(
      List<AgreementRecord> agreements, Instant asOf, long seed) {
    List<DemoFiling> out = complete(agreements, asOf, seed);
    latest(out, DemoWorldGenerator.TUNELY, "recommendation_sends").ifPresent(out::remove);
    latest(out, DemoWorldGenerator.STREAMFLIX, "recipient_clicks")
        .ifPresent(
            f ->
                out.set(
                    out.indexOf(f),
                    new DemoFiling(
                        f.partner(),
                        f.agreement(),
                        f.dutyId(),
                        f.metric(),
                        f.period(),
                        f.filedAt(),
                        f.filedBy(),
                        true)));
    out.sort(Comparator.comparing(DemoFiling::filedAt));
    return out;
  }

  /**
   * @return every report the agreements' duties asked for by {@code asOf}, filed on time, without
   *     the demo's two exceptions (what a benchmark comparing engines on the same policy needs),
   *     oldest first
   */
  public static List<DemoFiling> complete(
      List<AgreementRecord> agreements, Instant asOf, long seed) {
    SplittableRandom rng = Seeds.stream(seed, "reciprocity");
    Map<String, DemoFiling> owed = new LinkedHashMap<>();
    for (AgreementRecord r : agreements) {
      for (Duty d : r.terms().duties()) {
        Duty.Report duty = d.match(x -> x, s -> null);
        if (duty == null) {
          continue;
        }
        ReportPeriod p = ReportPeriod.containing(duty.period(), r.terms().effectiveFrom());
        while (!p.suspendsUnder(duty).isAfter(asOf)) {
          String key = duty.party() + " " + duty.metric() + " " + p;
          if (r.activeDuring(p.from(), p.until()) && !owed.containsKey(key)) {
            long early = rng.nextLong(Math.max(1, duty.dueAfterDays()));
            owed.put(
                key,
                new DemoFiling(
                    duty.party(),
                    r.terms().ref(),
                    duty.id(),
                    duty.metric(),
                    p,
                    p.dueUnder(duty).minus(Duration.ofDays(early)).plusSeconds(9 * 3600),
                    "partner_app:" + duty.party(),
                    false));
          }
          p = p.next();
        }
      }
    }
    List<DemoFiling> out = new ArrayList<>(owed.values());
    out.sort(Comparator.comparing(DemoFiling::filedAt));
    return out;
  }

  private static java.util.Optional<DemoFiling> latest(
      List<DemoFiling> filings, PartyId partner, String metric) {
    return filings.stream()
        .filter(f -> f.partner().equals(partner) && f.metric().equals(metric))
        .max(Comparator.comparing(DemoFiling::period));
  }
}
