package org.datapact.core.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.Filing;
import org.datapact.core.agreement.Minimisation;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.ReportPeriod;
import org.datapact.core.decision.ConsentTable.Countries;
import org.datapact.core.jurisdiction.JurisdictionTerm;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.jurisdiction.RuleSet;
import org.datapact.core.jurisdiction.RuleSetId;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.CountryCode;
import org.jspecify.annotations.Nullable;

/**
 * Agreements compiled for deciding: per principal, its versions with a permission table indexed by
 * scope and purpose; each permission's jurisdiction terms expanded to a boolean per country; each
 * version's active time as intervals. One "active at" ({@link Version#activeAt}) serves decisions
 * and the scopes a token may carry. Immutable once built.
 */
// the compiled tables are indexed by scope, purpose and topic ordinals: that is the point
@SuppressWarnings("EnumOrdinal")
final class CompiledAgreements {
  /** The rule set of every country, by {@link Countries} index. */
  final RuleSet[] ruleSetByCountry;

  /** Every party as a principal. */
  private final Map<PartyId, Principal> principals;

  private final Map<PartyId, PartyKind> partyKinds;
  private final Map<PartyId, Integer> partyIndex;

  /** Versions with a prohibition, which bind every principal. */
  final List<Version> withProhibitions;

  /** The records, by agreement id then version descending. */
  final List<AgreementRecord> records;

  private final List<Version> versions;

  /** {@link PolicyHash#agreements} of {@link #records}. */
  final byte[] digest;

  private CompiledAgreements(
      RuleSet[] ruleSetByCountry,
      Map<PartyId, Principal> principals,
      Map<PartyId, PartyKind> partyKinds,
      Map<PartyId, Integer> partyIndex,
      List<Version> withProhibitions,
      List<AgreementRecord> records,
      List<Version> versions,
      byte[] digest) {
    this.ruleSetByCountry = ruleSetByCountry;
    this.principals = principals;
    this.partyKinds = partyKinds;
    this.partyIndex = partyIndex;
    this.withProhibitions = withProhibitions;
    this.records = records;
    this.versions = versions;
    this.digest = digest;
  }

  static CompiledAgreements compile(
      Jurisdictions jurisdictions,
      Map<PartyId, PartyKind> parties,
      Map<PartyId, Integer> partyIndex,
      List<AgreementRecord> records,
      Filings filings) {
    RuleSet[] ruleByCountry = new RuleSet[Countries.CODES.length];
    for (int i = 0; i < Countries.CODES.length; i++) {
      ruleByCountry[i] = jurisdictions.of(Countries.COUNTRIES[i]);
    }
    List<AgreementRecord> sorted = new ArrayList<>(records);
    sorted.sort(
        Comparator.comparing((AgreementRecord r) -> r.terms().agreementId())
            .thenComparing(r -> -r.terms().version()));
    List<Version> all = new ArrayList<>();
    for (AgreementRecord r : sorted) {
      all.add(new Version(r, ruleByCountry, jurisdictions, filings));
    }
    return assemble(ruleByCountry, parties, partyIndex, sorted, all, PolicyHash.agreements(sorted));
  }

  /**
   * @return these agreements with the filings {@code filings}, one more than before ({@code
   *     filed}): only the versions with a report duty of the filing's party and metric are compiled
   *     again (a full compile of a thousand versions takes a tenth of a second; this, a few
   *     microseconds for each version it touches)
   */
  CompiledAgreements withFiling(Jurisdictions jurisdictions, Filings filings, Filing filed) {
    List<Version> all = new ArrayList<>(versions.size());
    boolean touched = false;
    for (Version v : versions) {
      if (v.owesReports(filed.partner(), filed.metric())) {
        all.add(new Version(v.record, ruleSetByCountry, jurisdictions, filings));
        touched = true;
      } else {
        all.add(v);
      }
    }
    return touched
        ? assemble(ruleSetByCountry, partyKinds, partyIndex, records, all, digest)
        : this;
  }

  /**
   * @return these agreements for a party list with one more party: the versions are reused, only
   *     the per-principal tables are built again
   */
  CompiledAgreements withParties(Map<PartyId, PartyKind> parties, Map<PartyId, Integer> index) {
    return assemble(ruleSetByCountry, parties, index, records, versions, digest);
  }

  private static CompiledAgreements assemble(
      RuleSet[] ruleByCountry,
      Map<PartyId, PartyKind> parties,
      Map<PartyId, Integer> partyIndex,
      List<AgreementRecord> sorted,
      List<Version> all,
      byte[] digest) {
    Map<PartyId, List<Version>> byPrincipal = new HashMap<>();
    List<Version> withProhibitions = new ArrayList<>();
    for (Version v : all) {
      AgreementRecord r = v.record;
      for (PartyId assignee : v.assignees()) {
        byPrincipal.computeIfAbsent(assignee, k -> new ArrayList<>()).add(v);
      }
      if (!r.terms().prohibitions().isEmpty()) {
        withProhibitions.add(v);
      }
    }
    Map<PartyId, Principal> principals = new HashMap<>();
    Set<PartyId> named =
        new HashSet<>(parties.keySet()); // every party, and any assignee the parties lack
    named.addAll(byPrincipal.keySet());
    for (PartyId party : named) {
      principals.put(
          party,
          Principal.of(party, byPrincipal.getOrDefault(party, List.of()), parties, partyIndex));
    }
    return new CompiledAgreements(
        ruleByCountry,
        Map.copyOf(principals),
        parties,
        partyIndex,
        List.copyOf(withProhibitions),
        List.copyOf(sorted),
        List.copyOf(all),
        digest);
  }

  /**
   * @return the principal; a party no agreement names gets an empty one
   */
  Principal principal(PartyId party) {
    Principal p = principals.get(party);
    return p != null ? p : Principal.of(party, List.of(), partyKinds, partyIndex);
  }

  /**
   * @return the scopes some version active at {@code at} permits {@code principal}, in wire form,
   *     sorted
   */
  SortedSet<String> scopesOf(PartyId principal, Instant at) {
    long t = at.toEpochMilli();
    SortedSet<String> out = new TreeSet<>();
    for (Version v : versions) {
      if (v.activeAt(t)) {
        v.record.terms().permissions().stream()
            .filter(p -> p.assignee().equals(principal))
            .forEach(p -> out.add(p.scope().wire()));
      }
    }
    return Collections.unmodifiableSortedSet(out);
  }

  /**
   * A party as the principal of requests, resolved once per snapshot rather than per request (a
   * page of friends evaluates 26 requests of one principal, and the map lookups this replaces were
   * the decision point's largest cost in the partner load's profile).
   */
  static final class Principal {
    /** The versions naming the party, newest first within each agreement. */
    final Version[] versions;

    /**
     * {@code tables[i]}: the permissions {@code versions[i]} gives the party, by scope and purpose.
     */
    final @Nullable CompiledPermission[] @Nullable [][] tables;

    /**
     * Whose consent a request of this party needs: the platform's for an internal unit, its own
     * otherwise.
     */
    final PartyId consentParty;

    /** {@link #consentParty}'s index in the consent keys, or -1 when no consent can name it. */
    final int consentIndex;

    private Principal(
        Version[] versions,
        @Nullable CompiledPermission[] @Nullable [][] tables,
        PartyId consentParty,
        int consentIndex) {
      this.versions = versions;
      this.tables = tables;
      this.consentParty = consentParty;
      this.consentIndex = consentIndex;
    }

    static Principal of(
        PartyId party,
        List<Version> versions,
        Map<PartyId, PartyKind> kinds,
        Map<PartyId, Integer> partyIndex) {
      Version[] vs = versions.toArray(new Version[0]);
      @Nullable CompiledPermission[] @Nullable [][] tables = new CompiledPermission[vs.length][][];
      for (int i = 0; i < vs.length; i++) {
        tables[i] = vs[i].byAssignee.get(party);
      }
      PartyId consentParty = kinds.get(party) == PartyKind.UNIT ? PolicySnapshot.PLATFORM : party;
      Integer index = partyIndex.get(consentParty);
      return new Principal(vs, tables, consentParty, index == null ? -1 : index);
    }

    /**
     * @return the permission of the newest version active at {@code tMillis}, or null; see {@link
     *     #anyActive}
     */
    @Nullable CompiledPermission permission(long tMillis, Scope scope, Purpose purpose) {
      for (int i = 0; i < versions.length; i++) {
        var table = tables[i];
        if (versions[i].activeAt(tMillis) && table != null) {
          CompiledPermission p = table[scope.ordinal()][purpose.ordinal()];
          if (p != null) {
            return p;
          }
        }
      }
      return null;
    }

    /**
     * @return whether some version naming the party is active at {@code tMillis}
     */
    boolean anyActive(long tMillis) {
      for (Version v : versions) {
        if (v.activeAt(tMillis)) {
          return true;
        }
      }
      return false;
    }
  }

  /** One agreement version compiled for fast lookup. */
  static final class Version {
    final AgreementRecord record;
    final String ref;

    /** Pairs of [from, until) epoch millis during which the version is active. */
    final long[] activeIntervals;

    /** One preallocated deny reason per prohibition, in the version's order. */
    final List<Reason> prohibitionReasons;

    private final Map<PartyId, CompiledPermission[][]> byAssignee = new HashMap<>();

    Version(
        AgreementRecord record,
        RuleSet[] ruleByCountry,
        Jurisdictions jurisdictions,
        Filings filings) {
      this.record = record;
      this.ref = record.terms().ref();
      this.activeIntervals = intervals(record);
      Map<String, Suspension> suspensions = suspensions(filings);
      this.prohibitionReasons =
          record.terms().prohibitions().stream()
              .map(
                  p ->
                      new Reason(
                          ReasonCode.PROHIBITED, ref + "#" + p.id(), ReasonText.prohibition(p)))
              .toList();
      for (Permission p : record.terms().permissions()) {
        CompiledPermission[][] table =
            byAssignee.computeIfAbsent(
                p.assignee(),
                k -> new CompiledPermission[Scope.values().length][Purpose.values().length]);
        CompiledPermission cp =
            new CompiledPermission(ref, p, ruleByCountry, jurisdictions, suspensions.get(p.id()));
        for (Purpose purpose : p.purposes()) {
          if (table[p.scope().ordinal()][purpose.ordinal()] == null) {
            table[p.scope().ordinal()][purpose.ordinal()] = cp;
          }
        }
      }
    }

    /**
     * @return for each permission a report duty gates, the earliest suspension its missing reports
     *     cause: the first period the version was active in that has no filing, suspended from that
     *     period's due date plus grace (in the future when the period has not ended, or is within
     *     its grace)
     */
    private Map<String, Suspension> suspensions(Filings filings) {
      Map<String, Suspension> out = new HashMap<>();
      if (activeIntervals.length == 0) {
        return out;
      }
      for (Duty d : record.terms().duties()) {
        Duty.Report duty = d.match(r -> r, s -> null);
        if (duty == null || duty.gates().isEmpty()) {
          continue;
        }
        ReportPeriod p =
            ReportPeriod.containing(duty.period(), Instant.ofEpochMilli(activeIntervals[0]));
        long lastEnd = activeIntervals[activeIntervals.length - 1];
        // INVARIANT: ends, since only finitely many periods are filed and the first unfiled one
        // within the active time returns
        while (p.from().toEpochMilli() < lastEnd) {
          if (overlapsActive(p)
              && !filings.contains(new Filing(duty.party(), duty.metric(), p.toString()))) {
            Suspension s =
                new Suspension(
                    p.suspendsUnder(duty).toEpochMilli(),
                    new Reason(
                        ReasonCode.DUTY_OVERDUE,
                        ref + "#" + duty.id(),
                        ReasonText.dutyOverdue(duty, p)));
            for (String gated : duty.gates()) {
              out.merge(gated, s, (a, b) -> a.from <= b.from ? a : b);
            }
            break;
          }
          p = p.next();
        }
      }
      return out;
    }

    /**
     * @return whether a report duty of the version is owed by {@code party} for {@code metric}
     */
    boolean owesReports(PartyId party, String metric) {
      for (Duty d : record.terms().duties()) {
        Duty.Report r = d.match(x -> x, x -> null);
        if (r != null && r.party().equals(party) && r.metric().equals(metric)) {
          return true;
        }
      }
      return false;
    }

    private boolean overlapsActive(ReportPeriod p) {
      long from = p.from().toEpochMilli();
      long until = p.until().toEpochMilli();
      for (int i = 0; i < activeIntervals.length; i += 2) {
        if (from < activeIntervals[i + 1] && activeIntervals[i] < until) {
          return true;
        }
      }
      return false;
    }

    /** The times the status history says active, clipped to the version's effective window. */
    private static long[] intervals(AgreementRecord r) {
      List<Long> bounds = new ArrayList<>();
      Instant activeSince = null;
      for (AgreementRecord.StatusChange c : r.history()) {
        if (c.status() == AgreementStatus.ACTIVE && activeSince == null) {
          activeSince = c.at();
        } else if (c.status() != AgreementStatus.ACTIVE && activeSince != null) {
          bounds.add(activeSince.toEpochMilli());
          bounds.add(c.at().toEpochMilli());
          activeSince = null;
        }
      }
      if (activeSince != null) {
        bounds.add(activeSince.toEpochMilli());
        bounds.add(Long.MAX_VALUE);
      }
      long from = r.terms().effectiveFrom().toEpochMilli();
      Instant end = r.terms().effectiveUntil();
      long until = end == null ? Long.MAX_VALUE : end.toEpochMilli();
      long[] out = new long[bounds.size()];
      int n = 0;
      for (int i = 0; i < bounds.size(); i += 2) {
        long a = Math.max(bounds.get(i), from);
        long b = Math.min(bounds.get(i + 1), until);
        if (a < b) {
          out[n++] = a;
          out[n++] = b;
        }
      }
      return Arrays.copyOf(out, n);
    }

    Set<PartyId> assignees() {
      return byAssignee.keySet();
    }

    boolean activeAt(long tMillis) {
      for (int i = 0; i < activeIntervals.length; i += 2) {
        if (tMillis >= activeIntervals[i] && tMillis < activeIntervals[i + 1]) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * When a gated permission is suspended for a missing report, and the reason a denial gives.
   *
   * @param from epoch millis from which the decision point denies
   */
  record Suspension(long from, Reason reason) {}

  /**
   * One permission compiled: jurisdictions expanded per country, reasons and obligations
   * preallocated.
   */
  static final class CompiledPermission {
    final String rule;
    final String versionRef;
    final boolean[] allowedCountry;
    final Map<String, Boolean> allowedRuleSet = new HashMap<>();
    final long notBefore;
    final long notAfter;
    final Constraints.@Nullable RateLimit rateLimit;

    /**
     * The least cohort an aggregate of the data must have, or 0 when a per-user release is allowed.
     */
    final int aggregateOnly;

    final List<Reason> allowReasons;
    final List<Obligation> obligations;

    /** Why the permission cannot be evaluated, or null when it can. */
    final @Nullable String error;

    /** Epoch millis from which a missing report suspends it, {@link Long#MAX_VALUE} if never. */
    final long suspendedFrom;

    /** The denial's reason once suspended, or null when never. */
    final @Nullable Reason suspendedReason;

    CompiledPermission(
        String versionRef,
        Permission p,
        RuleSet[] ruleByCountry,
        Jurisdictions jurisdictions,
        @Nullable Suspension suspension) {
      this.versionRef = versionRef;
      this.suspendedFrom = suspension == null ? Long.MAX_VALUE : suspension.from();
      this.suspendedReason = suspension == null ? null : suspension.reason();
      this.rule = versionRef + "#" + p.id();
      Constraints c = p.constraints();
      String err = null;
      List<JurisdictionTerm> terms = new ArrayList<>(c.jurisdictionsIncluded());
      terms.addAll(c.jurisdictionsExcluded());
      for (JurisdictionTerm term : terms) {
        if (!term.resolvesIn(jurisdictions)) {
          err =
              "jurisdiction term `"
                  + term
                  + "` is neither a rule set nor an ISO country; the permission cannot be evaluated";
        }
      }
      this.error = err;
      this.allowedCountry = new boolean[Countries.CODES.length];
      Set<JurisdictionTerm> in = c.jurisdictionsIncluded();
      Set<JurisdictionTerm> out = c.jurisdictionsExcluded();
      for (int i = 0; i < Countries.CODES.length; i++) {
        CountryCode country = Countries.COUNTRIES[i];
        RuleSetId ruleSet = ruleByCountry[i].ruleSetId();
        allowedCountry[i] =
            err == null
                && (in.isEmpty() || covers(in, country, ruleSet))
                && !covers(out, country, ruleSet);
      }
      for (RuleSet rs : jurisdictions.all()) {
        RuleSetId id = rs.ruleSetId();
        allowedRuleSet.put(
            rs.id(), err == null && (in.isEmpty() || covers(in, id)) && !covers(out, id));
      }
      Instant nb = c.notBefore();
      Instant na = c.notAfter();
      this.notBefore = nb == null ? Long.MIN_VALUE : nb.toEpochMilli();
      this.notAfter = na == null ? Long.MAX_VALUE : na.toEpochMilli();
      this.rateLimit = c.rateLimit();
      this.aggregateOnly = c.minimisation() == Minimisation.AGGREGATE_ONLY ? c.minCohort() : 0;
      this.allowReasons =
          List.of(new Reason(ReasonCode.PERMITTED, rule, ReasonText.permitted(rule, p)));
      List<Obligation> obs = new ArrayList<>();
      if (c.minimisation() == Minimisation.AGGREGATE_ONLY) {
        obs.add(new Obligation.AggregateOnly(c.minCohort()));
      } else if (c.minimisation() != Minimisation.NONE) {
        obs.add(new Obligation.Minimise(c.minimisation()));
      }
      var limit = c.rateLimit();
      if (limit != null) {
        obs.add(new Obligation.RateLimit(limit));
      }
      if (p.scope() == Scope.MESSAGES_SEND) {
        // INVARIANT: a send always says where its links may point; empty means nowhere
        obs.add(Obligation.LinkDomains.of(c.linkDomains()));
      }
      this.obligations = List.copyOf(obs);
    }

    private static boolean covers(Set<JurisdictionTerm> terms, CountryCode c, RuleSetId r) {
      for (JurisdictionTerm t : terms) {
        if (t.covers(c, r)) {
          return true;
        }
      }
      return false;
    }

    private static boolean covers(Set<JurisdictionTerm> terms, RuleSetId r) {
      for (JurisdictionTerm t : terms) {
        if (t.covers(r)) {
          return true;
        }
      }
      return false;
    }

    boolean inWindow(long tMillis) {
      return tMillis >= notBefore && tMillis < notAfter;
    }

    boolean allowsRuleSet(String ruleSetId) {
      // INVARIANT: an unknown jurisdiction on a label is not covered (fail closed)
      return allowedRuleSet.getOrDefault(ruleSetId, Boolean.FALSE);
    }
  }
}
