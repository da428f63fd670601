package org.datapact.core.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Filing;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.decision.ConsentTable.Countries;
import org.datapact.core.decision.ConsentTable.Subject;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.jurisdiction.RuleSetId;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;

/**
 * An immutable, compiled view of every agreement, every subject's jurisdiction and current
 * consents, against which {@link #decide} answers requests. Decisions are a pure function of the
 * snapshot and the request, so they are repeatable and testable.
 *
 * <p>The parts, each package-private: {@link CompiledAgreements} (agreements as per-principal
 * tables, and the one "active at"), {@link ConsentTable} (a subject's consents packed in longs, the
 * layout named in one place) held in a {@link PagedTable} so that {@link #withConsent} copies one
 * page instead of rebuilding anything, {@link Evaluator} (the rules), {@link ReasonText} (their
 * words) and {@link PolicyHash} (the one hash function the builder and {@link #withConsent} share:
 * the same history gives the same hash however it was applied, and after a restart).
 *
 * <p>Thread-safe: immutable.
 */
public final class PolicySnapshot {
  /** The platform's own party id: consents for internal units' use are given to it. */
  public static final PartyId PLATFORM = PartyId.of("platform");

  private final Jurisdictions jurisdictions;
  private final Map<PartyId, PartyKind> partyKinds;
  private final Map<PartyId, Integer> partyIndex;
  private final CompiledAgreements agreements;
  private final PagedTable<Subject> subjects;
  private final byte[] consentDigest;
  private final long consentChanges;
  private final Filings filings;
  private final String policyHash;
  private final long position;
  private final Evaluator evaluator;

  private PolicySnapshot(
      Jurisdictions jurisdictions,
      Map<PartyId, PartyKind> partyKinds,
      Map<PartyId, Integer> partyIndex,
      CompiledAgreements agreements,
      PagedTable<Subject> subjects,
      byte[] consentDigest,
      long consentChanges,
      Filings filings,
      long position) {
    this.jurisdictions = jurisdictions;
    this.partyKinds = partyKinds;
    this.partyIndex = partyIndex;
    this.agreements = agreements;
    this.subjects = subjects;
    this.consentDigest = consentDigest;
    this.consentChanges = consentChanges;
    this.filings = filings;
    this.policyHash = PolicyHash.of(agreements.digest, consentDigest, filings.digest());
    this.position = position;
    this.evaluator = new Evaluator(agreements, subjects, policyHash, position);
  }

  /**
   * Starts a snapshot.
   *
   * @param jurisdictions the rule sets
   * @param parties every party's kind (partners and units); the platform is added
   */
  public static Builder builder(Jurisdictions jurisdictions, Map<PartyId, PartyKind> parties) {
    return new Builder(jurisdictions, parties);
  }

  /**
   * Builds the initial snapshot from agreements, subjects and the consent history. Not thread-safe.
   */
  public static final class Builder {
    private final Jurisdictions jurisdictions;
    private final Map<PartyId, PartyKind> parties = new HashMap<>();
    private final Map<PartyId, Integer> partyIndex = new HashMap<>();
    private final List<AgreementRecord> agreements = new ArrayList<>();
    private final PagedTable.Builder<Subject> subjects = new PagedTable.Builder<>();
    private byte[] consentDigest = PolicyHash.EMPTY_CONSENT;
    private long consentChanges;
    private final List<Filing> filings = new ArrayList<>();

    private Builder(Jurisdictions jurisdictions, Map<PartyId, PartyKind> parties) {
      this.jurisdictions = jurisdictions;
      this.parties.putAll(parties);
      this.parties.put(PLATFORM, PartyKind.PLATFORM);
      this.parties.keySet().stream().sorted().forEach(p -> partyIndex.put(p, partyIndex.size()));
    }

    /** Adds agreement records. */
    public Builder agreements(Collection<AgreementRecord> records) {
      agreements.addAll(records);
      return this;
    }

    /** Registers a subject and the country whose law applies to them. */
    public Builder subject(UserId user, CountryCode country) {
      Subject old = subjects.get(user.value());
      subjects.put(
          user.value(),
          new Subject(Countries.index(country), old == null ? ConsentTable.NONE : old.consents));
      return this;
    }

    /**
     * Applies a consent change of the history, in order.
     *
     * @throws IllegalArgumentException if the subject was not registered or the party is unknown
     */
    public Builder consent(ConsentChange change) {
      Subject s = subjects.get(change.user().value());
      if (s == null) {
        throw new IllegalArgumentException("consent for unknown subject `" + change.user() + "`");
      }
      subjects.put(change.user().value(), applied(s, partyIndex, change));
      consentDigest = PolicyHash.chain(consentDigest, change);
      consentChanges++;
      return this;
    }

    /** Records a report filed under a report duty (in any order). */
    public Builder filing(Filing filing) {
      filings.add(filing);
      return this;
    }

    /**
     * @return the compiled snapshot
     */
    public PolicySnapshot build() {
      Map<PartyId, PartyKind> kinds = Map.copyOf(parties);
      Map<PartyId, Integer> index = Map.copyOf(partyIndex);
      Filings filed = Filings.of(filings);
      return new PolicySnapshot(
          jurisdictions,
          kinds,
          index,
          CompiledAgreements.compile(jurisdictions, kinds, index, agreements, filed),
          subjects.build(),
          consentDigest,
          consentChanges,
          filed,
          -1);
    }
  }

  private static Subject applied(
      Subject s, Map<PartyId, Integer> partyIndex, ConsentChange change) {
    Integer party = partyIndex.get(change.party());
    if (party == null) {
      throw new IllegalArgumentException("unknown party `" + change.party() + "`");
    }
    return new Subject(s.country, ConsentTable.apply(s.consents, party, change));
  }

  // ---------------------------------------------------------------- updates

  /**
   * @return a snapshot equal to this one with one more consent change applied; this one is
   *     unchanged. Costs one page copy, not a rebuild.
   * @throws IllegalArgumentException if the subject or party is unknown
   */
  public PolicySnapshot withConsent(ConsentChange change) {
    Subject s = subjects.get(change.user().value());
    if (s == null) {
      throw new IllegalArgumentException("consent for unknown subject `" + change.user() + "`");
    }
    return new PolicySnapshot(
        jurisdictions,
        partyKinds,
        partyIndex,
        agreements,
        subjects.with(change.user().value(), applied(s, partyIndex, change)),
        PolicyHash.chain(consentDigest, change),
        consentChanges + 1,
        filings,
        position);
  }

  /**
   * @return a snapshot with these agreement records instead of the current ones (recompiles the
   *     agreements only)
   */
  public PolicySnapshot withAgreements(Collection<AgreementRecord> records) {
    return new PolicySnapshot(
        jurisdictions,
        partyKinds,
        partyIndex,
        CompiledAgreements.compile(
            jurisdictions, partyKinds, partyIndex, List.copyOf(records), filings),
        subjects,
        consentDigest,
        consentChanges,
        filings,
        position);
  }

  /**
   * @return a snapshot that knows one more party (a partner or unit just registered), given the
   *     next free index so that every consent already packed keeps its key; a restart assigns
   *     indices afresh, consistently. This one when the party is known.
   */
  public PolicySnapshot withParty(PartyId party, PartyKind kind) {
    if (partyKinds.containsKey(party)) {
      return this;
    }
    Map<PartyId, PartyKind> kinds = new HashMap<>(partyKinds);
    kinds.put(party, kind);
    Map<PartyId, Integer> index = new HashMap<>(partyIndex);
    index.put(party, partyIndex.size());
    Map<PartyId, PartyKind> k = Map.copyOf(kinds);
    Map<PartyId, Integer> i = Map.copyOf(index);
    return new PolicySnapshot(
        jurisdictions,
        k,
        i,
        agreements.withParties(k, i),
        subjects,
        consentDigest,
        consentChanges,
        filings,
        position);
  }

  /**
   * @return a snapshot that knows one more filed report (recompiles the agreements only): a
   *     permission its duty had suspended is decided again from the next decision on
   */
  public PolicySnapshot withFiling(Filing filing) {
    Filings next = filings.with(filing);
    if (next == filings) {
      return this;
    }
    return new PolicySnapshot(
        jurisdictions,
        partyKinds,
        partyIndex,
        agreements.withFiling(jurisdictions, next, filing),
        subjects,
        consentDigest,
        consentChanges,
        next,
        position);
  }

  /**
   * @return the same policy at {@code position} in the log that records policy changes (the node's
   *     ledger shard): every policy entry of that log up to and including {@code position} is in
   *     this snapshot, and none after it; its decisions carry the position, so that a replay takes
   *     the policy they were made under, not the policy in force where their own entries landed
   */
  public PolicySnapshot at(long position) {
    if (position == this.position) {
      return this;
    }
    return new PolicySnapshot(
        jurisdictions,
        partyKinds,
        partyIndex,
        agreements,
        subjects,
        consentDigest,
        consentChanges,
        filings,
        position);
  }

  /**
   * @return the snapshot's position ({@link #at}); -1 when unknown
   */
  public long position() {
    return position;
  }

  /**
   * @return whether the snapshot knows the filing
   */
  public boolean filed(Filing filing) {
    return filings.contains(filing);
  }

  // ---------------------------------------------------------------- reading

  /**
   * @return hex SHA-256 naming the agreements and the whole consent history ({@link PolicyHash})
   */
  public String policyHash() {
    return policyHash;
  }

  /**
   * @return the number of consent changes applied since the empty history
   */
  public long consentChanges() {
    return consentChanges;
  }

  /**
   * @return the agreement records the snapshot holds, by agreement id then version descending
   */
  public List<AgreementRecord> agreements() {
    return agreements.records;
  }

  /**
   * @return the country whose law applies to a subject, if the snapshot knows the subject
   */
  public Optional<CountryCode> countryOf(UserId user) {
    Subject s = subjects.get(user.value());
    return s == null ? Optional.empty() : Optional.of(Countries.COUNTRIES[s.country]);
  }

  /**
   * @return the rule set of the subject's country (what labels of their data carry), if the
   *     snapshot knows the subject
   */
  public Optional<RuleSetId> ruleSetOf(UserId user) {
    Subject s = subjects.get(user.value());
    return s == null
        ? Optional.empty()
        : Optional.of(agreements.ruleSetByCountry[s.country].ruleSetId());
  }

  /**
   * @return the scopes some agreement version active at {@code at} permits {@code principal}, in
   *     wire form, sorted — what an access token for the principal may carry. "Active" is the
   *     decision's own: the status history within the version's effective window.
   */
  public SortedSet<String> scopesOf(PartyId principal, Instant at) {
    return agreements.scopesOf(principal, at);
  }

  /**
   * @return the kind of every party the snapshot knows, the platform included
   */
  public Map<PartyId, PartyKind> partyKinds() {
    return partyKinds;
  }

  /**
   * @return the jurisdiction catalogue
   */
  public Jurisdictions jurisdictions() {
    return jurisdictions;
  }

  // ---------------------------------------------------------------- deciding

  /**
   * Decides a request. Never throws for a well-formed request: any failure to evaluate denies with
   * {@link ReasonCode#EVALUATION_ERROR}.
   */
  public Decision decide(DecisionRequest r) {
    try {
      return evaluator.evaluate(r, true);
    } catch (RuntimeException e) {
      return evaluator.deny(
          List.of(
              new Reason(ReasonCode.EVALUATION_ERROR, "default", ReasonText.evaluationError(e))));
    }
  }

  /**
   * Whether {@link #decide} would allow the request, without building the reasons: for filtering a
   * list (a page of friends checks each one), where a denial is not recorded on its own. Always
   * equal to {@code decide(r).allowed()} (a property test holds it to that).
   */
  public boolean allows(DecisionRequest r) {
    try {
      return evaluator.evaluate(r, false).allowed();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
