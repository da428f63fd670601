package org.datapact.core.decision;

import java.util.Collection;
import java.util.stream.Collectors;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.Prohibition;

/**
 * Canonical text of agreement records for hashing: every set sorted, every field named, so the same
 * agreements give the same policy hash in every JVM (unlike {@code Set.toString()}, whose order
 * varies between runs).
 */
final class Canonical {
  private Canonical() {}

  static String agreement(AgreementRecord r) {
    var v = r.terms();
    StringBuilder sb = new StringBuilder();
    sb.append("agreement ")
        .append(v.ref())
        .append(" counterparty=")
        .append(v.counterparty())
        .append(" from=")
        .append(v.effectiveFrom())
        .append(" until=")
        .append(v.effectiveUntil())
        .append('\n');
    for (Permission p : v.permissions()) {
      Constraints c = p.constraints();
      sb.append(" permission ")
          .append(p.id())
          .append(" assignee=")
          .append(p.assignee())
          .append(" scope=")
          .append(p.scope().wire())
          .append(" purposes=")
          .append(sorted(p.purposes().stream().map(x -> x.wire()).toList()))
          .append(" in=")
          .append(sorted(c.jurisdictionsIncluded().stream().map(Object::toString).toList()))
          .append(" out=")
          .append(sorted(c.jurisdictionsExcluded().stream().map(Object::toString).toList()))
          .append(" window=")
          .append(c.notBefore())
          .append('/')
          .append(c.notAfter())
          .append(" min=")
          .append(c.minimisation().wire())
          .append('/')
          .append(c.minCohort())
          .append(" rate=")
          .append(
              c.rateLimit() == null ? "-" : c.rateLimit().requests() + "/" + c.rateLimit().per());
      if (!c.linkDomains()
          .isEmpty()) { // only when set, so that the hashes of versions without it are unchanged
        sb.append(" links=").append(sorted(c.linkDomains()));
      }
      sb.append('\n');
    }
    for (Prohibition p : v.prohibitions()) {
      sb.append(" prohibition ")
          .append(p.id())
          .append(" sources=")
          .append(sorted(p.labelSources().stream().map(Object::toString).toList()))
          .append(" consumers=")
          .append(sorted(p.consumers().stream().map(Object::toString).toList()))
          .append(" purposes=")
          .append(sorted(p.purposes().stream().map(x -> x.wire()).toList()))
          .append(" except=")
          .append(sorted(p.exceptOnBehalfOf().stream().map(Object::toString).toList()))
          .append('\n');
    }
    for (Duty d : v.duties()) {
      // The text is hashed into agreement hashes already in ledgers: both kinds keep the one
      // line shape they had when a duty was a single record with empty fields for the other kind.
      sb.append(" duty ")
          .append(d.id())
          .append(' ')
          .append(d.kindName())
          .append(" party=")
          .append(d.party());
      sb.append(
          d.<String>match(
              rep ->
                  " metric="
                      + rep.metric()
                      + " period="
                      + rep.period()
                      + " due="
                      + rep.dueAfterDays()
                      + " grace="
                      + rep.graceDays()
                      + " amount=- null year=0"
                      + reportTerms(rep)
                      + '\n',
              sp ->
                  " metric=null period=null due=0 grace=0 amount="
                      + sp.amount().toPlainString()
                      + ' '
                      + sp.currency()
                      + " year="
                      + sp.year()
                      + '\n'));
    }
    for (AgreementRecord.StatusChange c : r.history()) {
      sb.append(" status ")
          .append(c.status().wire())
          .append(' ')
          .append(c.at())
          .append(' ')
          .append(c.by())
          .append('\n');
    }
    return sb.toString();
  }

  /**
   * @return the terms a report duty gained after agreement hashes were first ledgered, written only
   *     when they differ from their defaults so that older versions keep their hash
   */
  private static String reportTerms(Duty.Report rep) {
    StringBuilder sb = new StringBuilder();
    if (rep.tolerancePercent() != Duty.Report.DEFAULT_TOLERANCE_PERCENT) {
      sb.append(" tolerance=").append(rep.tolerancePercent());
    }
    if (!rep.gates().isEmpty()) {
      sb.append(" gates=").append(sorted(rep.gates()));
    }
    return sb.toString();
  }

  private static String sorted(Collection<String> values) {
    return values.stream().sorted().collect(Collectors.joining(",", "[", "]"));
  }
}
