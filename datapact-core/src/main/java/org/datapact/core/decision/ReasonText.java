package org.datapact.core.decision;

import java.util.Collection;
import java.util.stream.Collectors;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.Prohibition;
import org.datapact.core.jurisdiction.RuleSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;

/**
 * The words of every reason the decision point gives: what a user, a partner or a regulator reads.
 * Built only when a decision is explained ({@code decide}, not {@code allows}).
 */
final class ReasonText {
  private ReasonText() {}

  static String permitted(String rule, Permission p) {
    return "permitted by " + rule + ": `" + p.assignee() + "` may use `" + p.scope().wire() + "`";
  }

  static String unknownSubject(Object subject) {
    return "user `" + subject + "` is not known";
  }

  static String noActiveAgreement(PartyId principal) {
    return "`" + principal + "` has no agreement in force at the request's time";
  }

  static String noPermission(PartyId principal, Scope scope, Purpose purpose) {
    return "no agreement in force lets `"
        + principal
        + "` use `"
        + scope.wire()
        + "` for `"
        + purpose.wire()
        + "`";
  }

  static String outsideWindow() {
    return "the permission is not valid at the request's time";
  }

  static String countryExcluded(String country) {
    return "the permission does not cover users in `" + country + "`";
  }

  static String ruleSetExcluded(Object ruleSet) {
    return "the permission does not cover data of `" + ruleSet + "` subjects";
  }

  static String rateLimited(org.datapact.core.agreement.Constraints.RateLimit limit) {
    return "rate limit of " + limit.requests() + " per " + limit.per() + " reached";
  }

  static String aggregateOnly(String rule, int minCohort) {
    return rule
        + " allows only aggregates over at least "
        + minCohort
        + " users; a release about one user is refused";
  }

  static String noConsent(PartyId party, Purpose purpose) {
    return "the user has not consented to `" + party + "` for `" + purpose.wire() + "`";
  }

  static String consentNotValid(PartyId party, Purpose purpose) {
    return "the user's consent to `"
        + party
        + "` for `"
        + purpose.wire()
        + "` is not valid at the request's time";
  }

  static String consentNotExplicit(RuleSet rules, Purpose purpose) {
    return "`"
        + rules.id()
        + "` requires explicit consent for `"
        + purpose.wire()
        + "`; it was given with the terms";
  }

  static String specialConsentMissing(
      RuleSet rules, RuleSet.SpecialConsent sc, PartyId party, DataCategory category) {
    return "`"
        + rules.id()
        + "` requires a `"
        + sc.topic().wire()
        + "` consent to `"
        + party
        + "` for `"
        + category.wire()
        + "` data, valid at most "
        + sc.maxValidity().toDays()
        + " days; none is valid at the request's time";
  }

  static String dutyOverdue(
      org.datapact.core.agreement.Duty.Report duty,
      org.datapact.core.agreement.ReportPeriod period) {
    return duty.party()
        + " has not filed its `"
        + duty.metric()
        + "` report for "
        + period
        + ", due "
        + period.dueUnder(duty).toString().substring(0, 10)
        + "; the permissions that depend on it are suspended from "
        + period.suspendsUnder(duty).toString().substring(0, 10)
        + " until it is filed";
  }

  static String evaluationError(RuntimeException e) {
    return "the request could not be evaluated (" + e.getClass().getSimpleName() + "); denied";
  }

  static String prohibition(Prohibition p) {
    StringBuilder sb = new StringBuilder("data labelled ");
    sb.append(list(p.labelSources()));
    sb.append(" may not be used");
    if (!p.consumers().isEmpty()) {
      sb.append(" by ").append(list(p.consumers()));
    }
    if (!p.purposes().isEmpty()) {
      sb.append(" for ").append(list(p.purposes().stream().map(Purpose::wire).toList()));
    }
    if (!p.exceptOnBehalfOf().isEmpty()) {
      sb.append(" except on behalf of ").append(list(p.exceptOnBehalfOf()));
    }
    return sb.toString();
  }

  private static String list(Collection<?> items) {
    return items.stream().map(x -> "`" + x + "`").sorted().collect(Collectors.joining(", "));
  }
}
