package org.datapact.server.governance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.Minimisation;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.Prohibition;

/** Renders an agreement version's terms as sentences a person can read. */
final class PlainLanguage {
  private PlainLanguage() {}

  private static String list(Collection<String> items) {
    List<String> sorted = items.stream().sorted().toList();
    if (sorted.size() <= 1) {
      return String.join("", sorted);
    }
    return String.join(", ", sorted.subList(0, sorted.size() - 1))
        + " and "
        + sorted.get(sorted.size() - 1);
  }

  static List<String> permissions(AgreementVersion v) {
    List<String> out = new ArrayList<>();
    for (Permission p : v.permissions()) {
      StringBuilder sb = new StringBuilder();
      sb.append(p.assignee())
          .append(" may use ")
          .append(p.scope().wire())
          .append(" for ")
          .append(
              list(
                  p.purposes().stream()
                      .map(x -> x.wire().replace('_', ' '))
                      .collect(Collectors.toSet())));
      Constraints c = p.constraints();
      if (!c.jurisdictionsIncluded().isEmpty()) {
        sb.append(", only for users in ")
            .append(list(c.jurisdictionsIncluded().stream().map(Object::toString).toList()));
      }
      if (!c.jurisdictionsExcluded().isEmpty()) {
        sb.append(", never for users in ")
            .append(list(c.jurisdictionsExcluded().stream().map(Object::toString).toList()));
      }
      if (c.minimisation() == Minimisation.APP_THREADS_ONLY) {
        sb.append(", limited to inbox threads its own app took part in");
      } else if (c.minimisation() == Minimisation.ALL_THREADS) {
        sb.append(", covering every inbox thread");
      } else if (c.minimisation() == Minimisation.AGGREGATE_ONLY) {
        sb.append(", as aggregates over at least ").append(c.minCohort()).append(" people only");
      }
      if (c.rateLimit() != null) {
        sb.append(", at most ")
            .append(c.rateLimit().requests())
            .append(" requests per ")
            .append(c.rateLimit().per().toSeconds())
            .append(" s");
      }
      if (c.notBefore() != null || c.notAfter() != null) {
        sb.append(", between ")
            .append(c.notBefore() == null ? "the start" : c.notBefore())
            .append(" and ")
            .append(c.notAfter() == null ? "the end" : c.notAfter());
      }
      out.add(sb.append('.').toString());
    }
    return out;
  }

  static List<String> prohibitions(AgreementVersion v) {
    List<String> out = new ArrayList<>();
    for (Prohibition p : v.prohibitions()) {
      StringBuilder sb = new StringBuilder("Data from ");
      sb.append(list(p.labelSources().stream().map(Object::toString).collect(Collectors.toSet())));
      sb.append(" may not be used");
      if (!p.consumers().isEmpty()) {
        sb.append(" by ")
            .append(list(p.consumers().stream().map(Object::toString).collect(Collectors.toSet())));
      } else {
        sb.append(" by anyone, the platform included,");
      }
      if (!p.purposes().isEmpty()) {
        sb.append(" for ")
            .append(
                list(
                    p.purposes().stream()
                        .map(x -> x.wire().replace('_', ' '))
                        .collect(Collectors.toSet())));
      } else {
        sb.append(" for any purpose");
      }
      if (!p.exceptOnBehalfOf().isEmpty()) {
        sb.append(", except on behalf of ")
            .append(
                list(
                    p.exceptOnBehalfOf().stream()
                        .map(Object::toString)
                        .collect(Collectors.toSet())));
      }
      out.add(sb.append('.').toString());
    }
    return out;
  }

  static List<String> duties(AgreementVersion v) {
    List<String> out = new ArrayList<>();
    for (Duty d : v.duties()) {
      out.add(
          d.match(
              r ->
                  r.party()
                      + " must report "
                      + r.metric().replace('_', ' ')
                      + " every "
                      + r.period()
                      + ", due "
                      + r.dueAfterDays()
                      + " days after the "
                      + r.period()
                      + " ends (grace: "
                      + r.graceDays()
                      + " days).",
              sp ->
                  sp.party()
                      + " guarantees an ad spend of "
                      + String.format(java.util.Locale.ROOT, "%,d", sp.amount().longValue())
                      + " "
                      + sp.currency()
                      + " in "
                      + sp.year()
                      + "."));
    }
    return out;
  }
}
