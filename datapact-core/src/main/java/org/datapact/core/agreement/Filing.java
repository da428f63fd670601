package org.datapact.core.agreement;

import java.util.Objects;
import org.datapact.core.party.PartyId;

/**
 * That a partner filed its report of a metric for a period: what the decision point needs to know
 * of a filing to tell whether a report duty is met (the figures themselves are reconciled
 * elsewhere).
 *
 * @param partner who filed
 * @param metric e.g. {@code recommendation_sends}
 * @param period the period's text ({@link ReportPeriod#toString})
 */
public record Filing(PartyId partner, String metric, String period) {
  /** Validates. */
  public Filing {
    Objects.requireNonNull(partner, "partner");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(period, "period");
  }

  /**
   * @return one line naming the filing, as the policy hash chains it
   */
  public String canonical() {
    return partner.value() + ' ' + metric + ' ' + period;
  }
}
