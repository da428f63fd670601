package org.datapact.core.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.datapact.core.agreement.Prohibition;
import org.datapact.core.decision.CompiledAgreements.CompiledPermission;
import org.datapact.core.decision.CompiledAgreements.Principal;
import org.datapact.core.decision.CompiledAgreements.Version;
import org.datapact.core.decision.ConsentTable.Countries;
import org.datapact.core.decision.ConsentTable.Subject;
import org.datapact.core.jurisdiction.RuleSet;
import org.datapact.core.label.Label;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;
import org.jspecify.annotations.Nullable;

/**
 * The decision rules (DESIGN.md "The decision point") applied to one snapshot's parts: default
 * deny; allow needs (1) an active agreement version permitting principal × scope × purpose at the
 * time, (2) the subject's consent for that party and purpose valid at the time plus any special
 * consent the subject's jurisdiction demands for the data's categories, (3) no prohibition matching
 * the data's labels × the principal × the purpose, (4) the subject's jurisdiction inside the
 * permission's constraints, (5) the rate limit not exhausted, and (6) no release about one user
 * under an aggregate-only permission; and no report duty the permission depends on overdue past its
 * grace. Every failed condition is a reason; anything that cannot be evaluated denies.
 */
// the compiled tables are indexed by scope, purpose and topic ordinals: that is the point
@SuppressWarnings("EnumOrdinal")
final class Evaluator {
  /** What {@code allows} sees of a denial: no reason text, never returned from {@code decide}. */
  private static final Reason QUIET_REASON =
      new Reason(ReasonCode.EVALUATION_ERROR, "default", "denied; decide() gives the reasons");

  static final Decision QUIET_DENIAL =
      new Decision(Effect.DENY, List.of(QUIET_REASON), List.of(), "", null);

  private final CompiledAgreements agreements;
  private final PagedTable<Subject> subjects;
  private final String policyHash;
  private final long position;

  Evaluator(
      CompiledAgreements agreements,
      PagedTable<Subject> subjects,
      String policyHash,
      long position) {
    this.agreements = agreements;
    this.subjects = subjects;
    this.policyHash = policyHash;
    this.position = position;
  }

  Decision deny(List<Reason> reasons) {
    return new Decision(Effect.DENY, reasons, List.of(), policyHash, null, position);
  }

  /**
   * @param explain whether to give every reason of a denial; when false, no reason text is built
   *     and a denial answers {@link #QUIET_DENIAL}
   */
  Decision evaluate(DecisionRequest r, boolean explain) {
    final long tMillis = r.at().toEpochMilli();
    final long tSec = r.at().getEpochSecond();
    List<Reason> denials = null;

    final var subjectId = r.subject();
    final Subject subject = subjectId == null ? null : subjects.get(subjectId.value());
    if (subjectId != null && subject == null) {
      return explain
          ? deny(
              List.of(
                  new Reason(
                      ReasonCode.UNKNOWN_SUBJECT, "default", ReasonText.unknownSubject(subjectId))))
          : QUIET_DENIAL;
    }

    // (1) an active agreement version permitting principal × scope × purpose
    Principal who = agreements.principal(r.principal());
    final CompiledPermission permission = who.permission(tMillis, r.scope(), r.purpose());
    if (permission == null) {
      denials =
          who.anyActive(tMillis)
              ? add(
                  null,
                  explain,
                  () ->
                      new Reason(
                          ReasonCode.NO_PERMISSION,
                          "default",
                          ReasonText.noPermission(r.principal(), r.scope(), r.purpose())))
              : add(
                  null,
                  explain,
                  () ->
                      new Reason(
                          ReasonCode.NO_ACTIVE_AGREEMENT,
                          "default",
                          ReasonText.noActiveAgreement(r.principal())));
    } else {
      denials = permissionConditions(permission, r, subject, tMillis, explain);
    }

    // (2) consent, and any special consent the jurisdiction demands
    if (subject != null) {
      denials = consentConditions(who, subject, r, tSec, explain, denials);
    }

    // (3) prohibitions on the data's labels bind every principal; forbid beats permit
    // INVARIANT: a request without labels is about the subject's platform data (DecisionRequest's
    // contract): prohibitions on `platform`-labelled data apply to it too
    for (Version v : agreements.withProhibitions) {
      if (!v.activeAt(tMillis)) {
        continue;
      }
      List<Prohibition> prohibitions = v.record.terms().prohibitions();
      for (int i = 0; i < prohibitions.size(); i++) {
        if (matches(prohibitions.get(i), r)) {
          denials = add(denials, v.prohibitionReasons.get(i));
        }
      }
    }

    if (denials != null || permission == null) {
      return explain && denials != null ? deny(denials) : QUIET_DENIAL;
    }
    return new Decision(
        Effect.ALLOW,
        permission.allowReasons,
        permission.obligations,
        policyHash,
        permission.versionRef,
        position);
  }

  private static @Nullable List<Reason> permissionConditions(
      CompiledPermission permission,
      DecisionRequest r,
      @Nullable Subject subject,
      long tMillis,
      boolean explain) {
    List<Reason> denials = null;
    String error = permission.error;
    if (error != null) {
      denials =
          add(
              denials,
              explain,
              () -> new Reason(ReasonCode.EVALUATION_ERROR, permission.rule, error));
    }
    if (!permission.inWindow(tMillis)) {
      denials =
          add(
              denials,
              explain,
              () ->
                  new Reason(
                      ReasonCode.OUTSIDE_VALIDITY_WINDOW,
                      permission.rule,
                      ReasonText.outsideWindow()));
    }
    // (1b) a report duty the permission depends on is overdue past its grace
    Reason suspended = permission.suspendedReason;
    if (suspended != null && tMillis >= permission.suspendedFrom) {
      denials = add(denials, explain, () -> suspended);
    }
    // (4) jurisdiction constraints
    if (subject != null && !permission.allowedCountry[subject.country]) {
      denials =
          add(
              denials,
              explain,
              () ->
                  new Reason(
                      ReasonCode.JURISDICTION_EXCLUDED,
                      permission.rule,
                      ReasonText.countryExcluded(Countries.CODES[subject.country])));
    }
    for (Label l : r.labels().labels()) {
      if (!permission.allowsRuleSet(l.jurisdiction().value())) {
        denials =
            add(
                denials,
                explain,
                () ->
                    new Reason(
                        ReasonCode.JURISDICTION_EXCLUDED,
                        permission.rule,
                        ReasonText.ruleSetExcluded(l.jurisdiction())));
        break;
      }
    }
    // (5) rate limit
    var limit = permission.rateLimit;
    if (limit != null && r.recentUses() >= limit.requests()) {
      denials =
          add(
              denials,
              explain,
              () ->
                  new Reason(
                      ReasonCode.RATE_LIMITED, permission.rule, ReasonText.rateLimited(limit)));
    }
    // (6) an aggregate-only permission releases nothing about one user
    if (permission.aggregateOnly > 0 && r.subject() != null) {
      denials =
          add(
              denials,
              explain,
              () ->
                  new Reason(
                      ReasonCode.AGGREGATE_ONLY,
                      permission.rule,
                      ReasonText.aggregateOnly(permission.rule, permission.aggregateOnly)));
    }
    return denials;
  }

  private @Nullable List<Reason> consentConditions(
      Principal who,
      Subject subject,
      DecisionRequest r,
      long tSec,
      boolean explain,
      @Nullable List<Reason> denials) {
    RuleSet rules = agreements.ruleSetByCountry[subject.country];
    PartyId consentParty = who.consentParty;
    long[] consents = subject.consents;
    int entry =
        ConsentTable.find(consents, ConsentTable.key(who.consentIndex, r.purpose().ordinal()));
    if (entry < 0) {
      denials =
          add(
              denials,
              explain,
              () ->
                  new Reason(
                      ReasonCode.NO_CONSENT,
                      "consent",
                      ReasonText.noConsent(consentParty, r.purpose())));
    } else {
      long granted = ConsentTable.grantedAt(consents, entry);
      if (granted > tSec || ConsentTable.expiresAt(consents, entry) <= tSec) {
        denials =
            add(
                denials,
                explain,
                () ->
                    new Reason(
                        granted > tSec ? ReasonCode.NO_CONSENT : ReasonCode.CONSENT_EXPIRED,
                        "consent",
                        ReasonText.consentNotValid(consentParty, r.purpose())));
      } else if (rules.explicitConsentRequired() && !ConsentTable.explicit(consents, entry)) {
        denials =
            add(
                denials,
                explain,
                () ->
                    new Reason(
                        ReasonCode.CONSENT_NOT_EXPLICIT,
                        rules.id(),
                        ReasonText.consentNotExplicit(rules, r.purpose())));
      }
    }
    if (rules.specialConsents().isEmpty()) { // most rule sets: skip the iterator
      return denials;
    }
    for (Map.Entry<DataCategory, RuleSet.SpecialConsent> sc : rules.specialConsents().entrySet()) {
      if (r.scope().category() == sc.getKey() || r.labels().hasCategory(sc.getKey())) {
        // INVARIANT: a special consent is looked up under its own topic
        long key =
            ConsentTable.key(who.consentIndex, ConsentTable.topicIndex(sc.getValue().topic()));
        int e = ConsentTable.find(consents, key);
        long granted = e < 0 ? 0 : ConsentTable.grantedAt(consents, e);
        long until =
            e < 0
                ? 0
                : Math.min(
                    ConsentTable.expiresAt(consents, e),
                    granted + sc.getValue().maxValidity().toSeconds());
        if (e < 0 || granted > tSec || until <= tSec) {
          denials =
              add(
                  denials,
                  explain,
                  () ->
                      new Reason(
                          ReasonCode.SPECIAL_CONSENT_MISSING,
                          rules.id(),
                          ReasonText.specialConsentMissing(
                              rules, sc.getValue(), consentParty, sc.getKey())));
        }
      }
    }
    return denials;
  }

  private static boolean matches(Prohibition p, DecisionRequest r) {
    if (!p.consumers().isEmpty() && !p.consumers().contains(r.principal())) {
      return false;
    }
    if (!p.purposes().isEmpty() && !p.purposes().contains(r.purpose())) {
      return false;
    }
    var onBehalfOf = r.onBehalfOf();
    if (onBehalfOf != null && p.exceptOnBehalfOf().contains(onBehalfOf)) {
      return false;
    }
    boolean implied = r.labels().isEmpty(); // the platform's own labels
    for (PartyId source : p.labelSources()) {
      if (implied ? source.equals(PolicySnapshot.PLATFORM) : r.labels().hasSource(source)) {
        return true;
      }
    }
    return false;
  }

  private static List<Reason> add(@Nullable List<Reason> list, Reason r) {
    List<Reason> l = list == null ? new ArrayList<>(2) : list;
    l.add(r);
    return l;
  }

  /** Adds a reason built only when {@code explain}: for {@code allows} a denial needs no text. */
  private static List<Reason> add(
      @Nullable List<Reason> list, boolean explain, Supplier<Reason> reason) {
    return add(list, explain ? reason.get() : QUIET_REASON);
  }
}
