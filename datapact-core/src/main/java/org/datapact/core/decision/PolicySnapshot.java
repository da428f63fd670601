package org.datapact.core.decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Minimisation;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.Prohibition;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.jurisdiction.RuleSet;
import org.datapact.core.label.Label;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;

/**
 * An immutable, compiled view of every agreement, every subject's jurisdiction and current
 * consents, against which {@link #decide} answers requests. Decisions are a pure function of the
 * snapshot and the request, so they are repeatable and testable.
 *
 * <p>Compilation turns agreements into per-principal arrays indexed by scope and purpose, with
 * each permission's jurisdiction constraint expanded to a boolean per country; consents live in a
 * {@link PagedTable} keyed by user id, so {@link #withConsent} copies one page instead of
 * rebuilding anything. The consent part of the policy hash chains, {@code H' = SHA-256(H ‖ change ‖
 * '\n')} from 32 zero bytes, through one function ({@link #chain}) that the builder and
 * {@link #withConsent} share: the same history gives the same hash however it was applied, and
 * after a restart. It names the whole consent history in O(1) per change.
 *
 * <p>Decision rules (DESIGN.md "The decision point"): default deny; allow needs (1) an active
 * agreement version permitting principal × scope × purpose at the time, (2) the subject's consent
 * for that party and purpose valid at the time plus any special consent the subject's
 * jurisdiction demands for the data's categories, (3) no prohibition matching the data's labels ×
 * the principal × the purpose, (4) the subject's jurisdiction inside the permission's
 * constraints, (5) the rate limit not exhausted. Anything that cannot be evaluated denies.
 *
 * <p>Thread-safe: immutable.
 */
public final class PolicySnapshot {
  /** The platform's own party id: consents for internal units' use are given to it. */
  public static final PartyId PLATFORM = PartyId.of("platform");

  private static final String[] COUNTRIES = java.util.Locale.getISOCountries();
  private static final Map<String, Short> COUNTRY_INDEX = new HashMap<>();
  /** Consent topics: one per purpose, then one per special topic. */
  private static final int TOPICS = Purpose.values().length + ConsentTopic.Special.values().length;

  /** @return the index of a consent topic in a subject's consent keys: its own, whatever its kind */
  private static int topicIndex(ConsentTopic topic) {
    return topic instanceof ConsentTopic.ForPurpose fp ? fp.purpose().ordinal()
        : Purpose.values().length + ((ConsentTopic.Special) topic).ordinal();
  }

  static {
    Arrays.sort(COUNTRIES);
    for (short i = 0; i < COUNTRIES.length; i++) {
      COUNTRY_INDEX.put(COUNTRIES[i], i);
    }
  }

  private final Jurisdictions jurisdictions;
  private final RuleSet[] ruleSetByCountry;
  private final Map<PartyId, PartyKind> partyKinds;
  private final Map<PartyId, Integer> partyIndex;
  /** Every party as a principal: its agreement versions with their permission tables, and whose consent counts. */
  private final Map<PartyId, Principal> principals;
  private final List<CompiledVersion> versionsWithProhibitions;
  private final List<AgreementRecord> agreements;
  private final PagedTable<Subject> subjects;
  private final byte[] agreementsDigest;
  private final byte[] consentDigest;
  private final String policyHash;
  private final long consentChanges;

  /** A subject's jurisdiction and current consents. Immutable. */
  static final class Subject {
    final short country;
    /** Two longs per consent: {@code key << 40 | basis << 39 | grantedAt (epoch s)}, then expiry (epoch s or MAX). */
    final long[] consents;

    Subject(short country, long[] consents) {
      this.country = country;
      this.consents = consents;
    }
  }

  private PolicySnapshot(Jurisdictions jurisdictions, RuleSet[] ruleSetByCountry, Map<PartyId, PartyKind> partyKinds,
      Map<PartyId, Integer> partyIndex, Map<PartyId, Principal> principals,
      List<CompiledVersion> versionsWithProhibitions, List<AgreementRecord> agreements, PagedTable<Subject> subjects,
      byte[] agreementsDigest, byte[] consentDigest, long consentChanges) {
    this.jurisdictions = jurisdictions;
    this.ruleSetByCountry = ruleSetByCountry;
    this.partyKinds = partyKinds;
    this.partyIndex = partyIndex;
    this.principals = principals;
    this.versionsWithProhibitions = versionsWithProhibitions;
    this.agreements = agreements;
    this.subjects = subjects;
    this.agreementsDigest = agreementsDigest;
    this.consentDigest = consentDigest;
    this.consentChanges = consentChanges;
    MessageDigest sha = sha256();
    sha.update(agreementsDigest);
    sha.update(consentDigest);
    this.policyHash = HexFormat.of().formatHex(sha.digest());
  }

  // ---------------------------------------------------------------- building

  /**
   * Starts a snapshot.
   *
   * @param jurisdictions the rule sets
   * @param parties every party's kind (partners and units); the platform is added
   */
  public static Builder builder(Jurisdictions jurisdictions, Map<PartyId, PartyKind> parties) {
    return new Builder(jurisdictions, parties);
  }

  /** Builds the initial snapshot from agreements, subjects and the consent history. Not thread-safe. */
  public static final class Builder {
    private final Jurisdictions jurisdictions;
    private final Map<PartyId, PartyKind> parties = new HashMap<>();
    private final Map<PartyId, Integer> partyIndex = new HashMap<>();
    private final List<AgreementRecord> agreements = new ArrayList<>();
    private final PagedTable.Builder<Subject> subjects = new PagedTable.Builder<>();
    private byte[] consentDigest = new byte[32];
    private long consentChanges;

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
      subjects.put(user.value(), new Subject(countryIndex(country), old == null ? new long[0] : old.consents));
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
      subjects.put(change.user().value(), new Subject(s.country, applyConsent(s.consents, partyIndexOf(partyIndex, change.party()), change)));
      consentDigest = chain(consentDigest, change);
      consentChanges++;
      return this;
    }

    /** @return the compiled snapshot */
    public PolicySnapshot build() {
      return compile(jurisdictions, Map.copyOf(parties), Map.copyOf(partyIndex), agreements, subjects.build(),
          consentDigest, consentChanges);
    }
  }

  /**
   * The one step of the consent history's hash, used by the builder and by {@link #withConsent}.
   *
   * @return {@code SHA-256(previous ‖ canonical(change) ‖ '\n')}
   */
  static byte[] chain(byte[] previous, ConsentChange change) {
    MessageDigest sha = sha256();
    sha.update(previous);
    sha.update(change.canonical().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
    return sha.digest();
  }

  private static int partyIndexOf(Map<PartyId, Integer> index, PartyId party) {
    Integer i = index.get(party);
    if (i == null) {
      throw new IllegalArgumentException("unknown party `" + party + "`");
    }
    return i;
  }

  private static short countryIndex(CountryCode c) {
    Short i = COUNTRY_INDEX.get(c.value());
    if (i == null) {
      throw new IllegalArgumentException("country `" + c + "` is not in this JDK's ISO 3166 list");
    }
    return i;
  }

  private static PolicySnapshot compile(Jurisdictions jurisdictions, Map<PartyId, PartyKind> parties,
      Map<PartyId, Integer> partyIndex, List<AgreementRecord> records, PagedTable<Subject> subjects,
      byte[] consentDigest, long consentChanges) {
    RuleSet[] ruleByCountry = new RuleSet[COUNTRIES.length];
    for (int i = 0; i < COUNTRIES.length; i++) {
      ruleByCountry[i] = jurisdictions.of(CountryCode.of(COUNTRIES[i]));
    }
    List<AgreementRecord> sortedRecords = new ArrayList<>(records);
    sortedRecords.sort(Comparator.comparing((AgreementRecord r) -> r.terms().agreementId())
        .thenComparing(r -> -r.terms().version()));
    Map<PartyId, List<CompiledVersion>> byPrincipal = new HashMap<>();
    List<CompiledVersion> withProhibitions = new ArrayList<>();
    MessageDigest sha = sha256();
    for (AgreementRecord r : sortedRecords) {
      sha.update(Canonical.agreement(r).getBytes(StandardCharsets.UTF_8));
      CompiledVersion v = new CompiledVersion(r, ruleByCountry, jurisdictions);
      for (PartyId assignee : v.assignees()) {
        byPrincipal.computeIfAbsent(assignee, k -> new ArrayList<>()).add(v);
      }
      if (!r.terms().prohibitions().isEmpty()) {
        withProhibitions.add(v);
      }
    }
    Map<PartyId, Principal> principals = new HashMap<>();
    Set<PartyId> named = new java.util.HashSet<>(parties.keySet()); // every party, and any assignee the parties lack
    named.addAll(byPrincipal.keySet());
    for (PartyId party : named) {
      principals.put(party, Principal.of(party, byPrincipal.getOrDefault(party, List.of()), parties, partyIndex));
    }
    return new PolicySnapshot(jurisdictions, ruleByCountry, parties, partyIndex, Map.copyOf(principals),
        List.copyOf(withProhibitions), List.copyOf(sortedRecords), subjects, sha.digest(), consentDigest, consentChanges);
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
    Subject updated = new Subject(s.country, applyConsent(s.consents, partyIndexOf(partyIndex, change.party()), change));
    return new PolicySnapshot(jurisdictions, ruleSetByCountry, partyKinds, partyIndex, principals,
        versionsWithProhibitions, agreements, subjects.with(change.user().value(), updated), agreementsDigest,
        chain(consentDigest, change), consentChanges + 1);
  }

  /** @return a snapshot with these agreement records instead of the current ones (recompiles the agreements only) */
  public PolicySnapshot withAgreements(Collection<AgreementRecord> records) {
    return compile(jurisdictions, partyKinds, partyIndex, List.copyOf(records), subjects, consentDigest, consentChanges);
  }

  private static long[] applyConsent(long[] consents, int party, ConsentChange c) {
    int topic = topicIndex(c.topic());
    long key = (long) party * TOPICS + topic;
    int found = -1;
    for (int i = 0; i < consents.length; i += 2) {
      if (consents[i] >>> 40 == key) {
        found = i;
        break;
      }
    }
    if (!c.granted()) {
      if (found < 0) {
        return consents;
      }
      long[] out = new long[consents.length - 2];
      System.arraycopy(consents, 0, out, 0, found);
      System.arraycopy(consents, found + 2, out, found, consents.length - found - 2);
      return out;
    }
    long granted = c.at().getEpochSecond();
    if (granted < 0 || granted >= (1L << 39)) {
      throw new IllegalArgumentException("consent time `" + c.at() + "` is out of range");
    }
    long head = key << 40 | (c.basis() == ConsentBasis.EXPLICIT ? 1L << 39 : 0) | granted;
    long expiry = c.expiresAt() == null ? Long.MAX_VALUE : c.expiresAt().getEpochSecond();
    long[] out = found >= 0 ? consents.clone() : Arrays.copyOf(consents, consents.length + 2);
    int at = found >= 0 ? found : consents.length;
    out[at] = head;
    out[at + 1] = expiry;
    return out;
  }

  // ---------------------------------------------------------------- reading

  /** @return hex SHA-256 naming the agreements and the whole consent history */
  public String policyHash() {
    return policyHash;
  }

  /** @return the number of consent changes applied since the empty history */
  public long consentChanges() {
    return consentChanges;
  }

  /** @return the agreement records the snapshot holds, by agreement id then version descending */
  public List<AgreementRecord> agreements() {
    return agreements;
  }

  /** @return the country whose law applies to a subject, if the snapshot knows the subject */
  public java.util.Optional<CountryCode> countryOf(UserId user) {
    Subject s = subjects.get(user.value());
    return s == null ? java.util.Optional.empty() : java.util.Optional.of(CountryCode.of(COUNTRIES[s.country]));
  }

  /**
   * @return the rule set of the subject's country (what labels of their data carry), if the
   *     snapshot knows the subject
   */
  public java.util.Optional<org.datapact.core.jurisdiction.RuleSetId> ruleSetOf(UserId user) {
    Subject s = subjects.get(user.value());
    return s == null ? java.util.Optional.empty() : java.util.Optional.of(ruleSetByCountry[s.country].ruleSetId());
  }

  /**
   * @return the scopes some agreement version active at {@code at} permits {@code principal}, in
   *     wire form, sorted — what an access token for the principal may carry
   */
  public java.util.SortedSet<String> scopesOf(PartyId principal, java.time.Instant at) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    for (AgreementRecord r : agreements) {
      var t = r.terms();
      boolean inWindow = !at.isBefore(t.effectiveFrom()) && (t.effectiveUntil() == null || at.isBefore(t.effectiveUntil()));
      if (inWindow && r.activeAt(at)) {
        t.permissions().stream().filter(p -> p.assignee().equals(principal)).forEach(p -> out.add(p.scope().wire()));
      }
    }
    return java.util.Collections.unmodifiableSortedSet(out);
  }

  /** @return the kind of every party the snapshot knows, the platform included */
  public Map<PartyId, PartyKind> partyKinds() {
    return partyKinds;
  }

  /** @return the jurisdiction catalogue */
  public Jurisdictions jurisdictions() {
    return jurisdictions;
  }

  // ---------------------------------------------------------------- deciding

  /**
   * Decides a request. Never throws for a well-formed request: any failure to evaluate denies
   * with {@link ReasonCode#EVALUATION_ERROR}.
   */
  public Decision decide(DecisionRequest r) {
    try {
      return evaluate(r, true);
    } catch (RuntimeException e) {
      return deny(List.of(new Reason(ReasonCode.EVALUATION_ERROR, "default",
          "the request could not be evaluated (" + e.getClass().getSimpleName() + "); denied")));
    }
  }

  /**
   * Whether {@link #decide} would allow the request, without building the reasons: for filtering a
   * list (a page of friends checks each one), where a denial is not recorded on its own. Always
   * equal to {@code decide(r).allowed()} (a property test holds it to that).
   */
  public boolean allows(DecisionRequest r) {
    try {
      return evaluate(r, false).allowed();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * @param explain whether to give every reason of a denial; when false, no reason text is built
   *     and a denial answers {@link #QUIET_DENIAL}, which never leaves this class
   */
  private Decision evaluate(DecisionRequest r, boolean explain) {
    final long tMillis = r.at().toEpochMilli();
    final long tSec = r.at().getEpochSecond();
    List<Reason> denials = null;

    final Subject subject = r.subject() == null ? null : subjects.get(r.subject().value());
    if (r.subject() != null && subject == null) {
      return explain ? deny(List.of(new Reason(ReasonCode.UNKNOWN_SUBJECT, "default", "user `" + r.subject() + "` is not known")))
          : QUIET_DENIAL;
    }

    // (1) an active agreement version permitting principal × scope × purpose
    Principal who = principals.get(r.principal());
    if (who == null) { // a party the snapshot does not know: no agreement names it
      who = Principal.of(r.principal(), List.of(), partyKinds, partyIndex);
    }
    CompiledPermission found = null;
    boolean anyActive = false;
    for (int i = 0; i < who.versions.length; i++) {
      if (who.versions[i].activeAt(tMillis)) {
        anyActive = true;
        CompiledPermission p = who.tables[i] == null ? null : who.tables[i][r.scope().ordinal()][r.purpose().ordinal()];
        if (p != null) {
          found = p;
          break;
        }
      }
    }
    final CompiledPermission permission = found;
    if (!anyActive) {
      denials = add(denials, explain, () -> new Reason(ReasonCode.NO_ACTIVE_AGREEMENT, "default",
          "`" + r.principal() + "` has no agreement in force at the request's time"));
    } else if (permission == null) {
      denials = add(denials, explain, () -> new Reason(ReasonCode.NO_PERMISSION, "default",
          "no agreement in force lets `" + r.principal() + "` use `" + r.scope().wire() + "` for `" + r.purpose().wire() + "`"));
    } else {
      if (permission.error != null) {
        denials = add(denials, explain, () -> new Reason(ReasonCode.EVALUATION_ERROR, permission.rule, permission.error));
      }
      if (!permission.inWindow(tMillis)) {
        denials = add(denials, explain, () -> new Reason(ReasonCode.OUTSIDE_VALIDITY_WINDOW, permission.rule,
            "the permission is not valid at the request's time"));
      }
      // (4) jurisdiction constraints
      if (subject != null && !permission.allowedCountry[subject.country]) {
        denials = add(denials, explain, () -> new Reason(ReasonCode.JURISDICTION_EXCLUDED, permission.rule,
            "the permission does not cover users in `" + COUNTRIES[subject.country] + "`"));
      }
      for (Label l : r.labels().labels()) {
        if (!permission.allowsRuleSet(l.jurisdiction().value())) {
          denials = add(denials, explain, () -> new Reason(ReasonCode.JURISDICTION_EXCLUDED, permission.rule,
              "the permission does not cover data of `" + l.jurisdiction() + "` subjects"));
          break;
        }
      }
      // (5) rate limit
      if (permission.rateLimit != null && r.recentUses() >= permission.rateLimit.requests()) {
        denials = add(denials, explain, () -> new Reason(ReasonCode.RATE_LIMITED, permission.rule,
            "rate limit of " + permission.rateLimit.requests() + " per " + permission.rateLimit.per() + " reached"));
      }
    }

    // (2) consent, and any special consent the jurisdiction demands
    if (subject != null) {
      RuleSet rules = ruleSetByCountry[subject.country];
      PartyId consentParty = who.consentParty;
      int party = who.consentIndex;
      long purposeKey = party < 0 ? -1 : (long) party * TOPICS + r.purpose().ordinal();
      int entry = find(subject.consents, purposeKey);
      if (entry < 0) {
        denials = add(denials, explain, () -> new Reason(ReasonCode.NO_CONSENT, "consent",
            "the user has not consented to `" + consentParty + "` for `" + r.purpose().wire() + "`"));
      } else {
        long head = subject.consents[entry];
        long granted = head & ((1L << 39) - 1);
        if (granted > tSec || subject.consents[entry + 1] <= tSec) {
          denials = add(denials, explain, () -> new Reason(granted > tSec ? ReasonCode.NO_CONSENT : ReasonCode.CONSENT_EXPIRED, "consent",
              "the user's consent to `" + consentParty + "` for `" + r.purpose().wire() + "` is not valid at the request's time"));
        } else if (rules.explicitConsentRequired() && (head & (1L << 39)) == 0) {
          denials = add(denials, explain, () -> new Reason(ReasonCode.CONSENT_NOT_EXPLICIT, rules.id(),
              "`" + rules.id() + "` requires explicit consent for `" + r.purpose().wire() + "`; it was given with the terms"));
        }
      }
      if (!rules.specialConsents().isEmpty()) {
        for (Map.Entry<DataCategory, RuleSet.SpecialConsent> sc : rules.specialConsents().entrySet()) {
          if (r.scope().category() == sc.getKey() || r.labels().hasCategory(sc.getKey())) {
            // INVARIANT: a special consent is looked up under its own topic
            long key = party < 0 ? -1 : (long) party * TOPICS + topicIndex(sc.getValue().topic());
            int e = find(subject.consents, key);
            long granted = e < 0 ? 0 : subject.consents[e] & ((1L << 39) - 1);
            long until = e < 0 ? 0 : Math.min(subject.consents[e + 1], granted + sc.getValue().maxValidity().getSeconds());
            if (e < 0 || granted > tSec || until <= tSec) {
              denials = add(denials, explain, () -> new Reason(ReasonCode.SPECIAL_CONSENT_MISSING, rules.id(),
                  "`" + rules.id() + "` requires a `" + sc.getValue().topic().wire() + "` consent to `" + consentParty
                      + "` for `" + sc.getKey().wire() + "` data, valid at most " + sc.getValue().maxValidity().toDays()
                      + " days; none is valid at the request's time"));
            }
          }
        }
      }
    }

    // (3) prohibitions on the data's labels bind every principal; forbid beats permit
    // INVARIANT: a request without labels is about the subject's platform data (DecisionRequest's
    // contract): prohibitions on `platform`-labelled data apply to it too
    for (CompiledVersion v : versionsWithProhibitions) {
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

    if (denials != null) {
      return explain ? deny(denials) : QUIET_DENIAL;
    }
    // INVARIANT: we reach here only with a permission and no failed condition
    return new Decision(Effect.ALLOW, permission.allowReasons, permission.obligations, policyHash, permission.versionRef);
  }

  private static boolean matches(Prohibition p, DecisionRequest r) {
    if (!p.consumers().isEmpty() && !p.consumers().contains(r.principal())) {
      return false;
    }
    if (!p.purposes().isEmpty() && !p.purposes().contains(r.purpose())) {
      return false;
    }
    if (r.onBehalfOf() != null && p.exceptOnBehalfOf().contains(r.onBehalfOf())) {
      return false;
    }
    boolean implied = r.labels().isEmpty(); // the platform's own labels
    for (PartyId source : p.labelSources()) {
      if (implied ? source.equals(PLATFORM) : r.labels().hasSource(source)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Prohibition p) {
    StringBuilder sb = new StringBuilder("data labelled ");
    sb.append(p.labelSources().stream().map(x -> "`" + x + "`").sorted().reduce((a, b) -> a + ", " + b).orElse(""));
    sb.append(" may not be used");
    if (!p.consumers().isEmpty()) {
      sb.append(" by ").append(p.consumers().stream().map(x -> "`" + x + "`").sorted().reduce((a, b) -> a + ", " + b).orElse(""));
    }
    if (!p.purposes().isEmpty()) {
      sb.append(" for ").append(p.purposes().stream().map(x -> "`" + x.wire() + "`").sorted().reduce((a, b) -> a + ", " + b).orElse(""));
    }
    if (!p.exceptOnBehalfOf().isEmpty()) {
      sb.append(" except on behalf of ").append(p.exceptOnBehalfOf().stream().map(x -> "`" + x + "`").sorted()
          .reduce((a, b) -> a + ", " + b).orElse(""));
    }
    return sb.toString();
  }

  private static int find(long[] consents, long key) {
    for (int i = 0; i < consents.length; i += 2) {
      if (consents[i] >>> 40 == key) {
        return i;
      }
    }
    return -1;
  }

  private static List<Reason> add(List<Reason> list, Reason r) {
    List<Reason> l = list == null ? new ArrayList<>(2) : list;
    l.add(r);
    return l;
  }

  /** Adds a reason built only when {@code explain}: for {@link #allows} a denial needs no text. */
  private static List<Reason> add(List<Reason> list, boolean explain, java.util.function.Supplier<Reason> reason) {
    return add(list, explain ? reason.get() : QUIET_REASON);
  }

  /** What {@link #allows} sees of a denial: no reason text, never returned from {@link #decide}. */
  private static final Reason QUIET_REASON = new Reason(ReasonCode.EVALUATION_ERROR, "default", "denied; decide() gives the reasons");
  private static final Decision QUIET_DENIAL = new Decision(Effect.DENY, List.of(QUIET_REASON), List.of(), "", null);

  private Decision deny(List<Reason> reasons) {
    return new Decision(Effect.DENY, reasons, List.of(), policyHash, null);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }

  // ---------------------------------------------------------------- compiled agreements

  /**
   * A party as the principal of requests, resolved once per snapshot rather than per request (a
   * page of friends evaluates 26 requests of one principal, and the map lookups this replaces were
   * the decision point's largest cost in the partner load's profile).
   */
  static final class Principal {
    /** The versions naming the party, newest first within each agreement. */
    final CompiledVersion[] versions;
    /** {@code tables[i]}: the permissions {@code versions[i]} gives the party, by scope and purpose. */
    final CompiledPermission[][][] tables;
    /** Whose consent a request of this party needs: the platform's for an internal unit, its own otherwise. */
    final PartyId consentParty;
    /** {@link #consentParty}'s index in the consent keys, or -1 when no consent can name it. */
    final int consentIndex;

    private Principal(CompiledVersion[] versions, CompiledPermission[][][] tables, PartyId consentParty, int consentIndex) {
      this.versions = versions;
      this.tables = tables;
      this.consentParty = consentParty;
      this.consentIndex = consentIndex;
    }

    static Principal of(PartyId party, List<CompiledVersion> versions, Map<PartyId, PartyKind> kinds,
        Map<PartyId, Integer> partyIndex) {
      CompiledVersion[] vs = versions.toArray(new CompiledVersion[0]);
      CompiledPermission[][][] tables = new CompiledPermission[vs.length][][];
      for (int i = 0; i < vs.length; i++) {
        tables[i] = vs[i].byAssignee.get(party);
      }
      PartyId consentParty = kinds.get(party) == PartyKind.UNIT ? PLATFORM : party;
      Integer index = partyIndex.get(consentParty);
      return new Principal(vs, tables, consentParty, index == null ? -1 : index);
    }
  }

  /** One agreement version compiled for fast lookup. */
  static final class CompiledVersion {
    final AgreementRecord record;
    final String ref;
    /** Pairs of [from, until) epoch millis during which the version is active. */
    final long[] activeIntervals;
    /** One preallocated deny reason per prohibition, in the version's order. */
    final List<Reason> prohibitionReasons;
    private final Map<PartyId, CompiledPermission[][]> byAssignee = new HashMap<>();

    CompiledVersion(AgreementRecord record, RuleSet[] ruleByCountry, Jurisdictions jurisdictions) {
      this.record = record;
      this.ref = record.terms().ref();
      this.activeIntervals = intervals(record);
      this.prohibitionReasons = record.terms().prohibitions().stream()
          .map(p -> new Reason(ReasonCode.PROHIBITED, ref + "#" + p.id(), describe(p))).toList();
      for (Permission p : record.terms().permissions()) {
        CompiledPermission[][] table = byAssignee.computeIfAbsent(p.assignee(),
            k -> new CompiledPermission[Scope.values().length][Purpose.values().length]);
        CompiledPermission cp = new CompiledPermission(ref, p, ruleByCountry, jurisdictions);
        for (Purpose purpose : p.purposes()) {
          if (table[p.scope().ordinal()][purpose.ordinal()] == null) {
            table[p.scope().ordinal()][purpose.ordinal()] = cp;
          }
        }
      }
    }

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
      long until = r.terms().effectiveUntil() == null ? Long.MAX_VALUE : r.terms().effectiveUntil().toEpochMilli();
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

  /** One permission compiled: jurisdictions expanded per country, reasons and obligations preallocated. */
  static final class CompiledPermission {
    final String rule;
    final String versionRef;
    final boolean[] allowedCountry;
    final Map<String, Boolean> allowedRuleSet = new HashMap<>();
    final long notBefore;
    final long notAfter;
    final Constraints.RateLimit rateLimit;
    final List<Reason> allowReasons;
    final List<Obligation> obligations;
    final String error;

    CompiledPermission(String versionRef, Permission p, RuleSet[] ruleByCountry, Jurisdictions jurisdictions) {
      this.versionRef = versionRef;
      this.rule = versionRef + "#" + p.id();
      Constraints c = p.constraints();
      String err = null;
      for (String term : concat(c.jurisdictionsIncluded(), c.jurisdictionsExcluded())) {
        if (jurisdictions.byId(term).isEmpty() && !COUNTRY_INDEX.containsKey(term)) {
          err = "jurisdiction term `" + term + "` is neither a rule set nor an ISO country; the permission cannot be evaluated";
        }
      }
      this.error = err;
      this.allowedCountry = new boolean[COUNTRIES.length];
      for (int i = 0; i < COUNTRIES.length; i++) {
        String country = COUNTRIES[i];
        String ruleSet = ruleByCountry[i].id();
        boolean included = c.jurisdictionsIncluded().isEmpty()
            || c.jurisdictionsIncluded().contains(country) || c.jurisdictionsIncluded().contains(ruleSet);
        boolean excluded = c.jurisdictionsExcluded().contains(country) || c.jurisdictionsExcluded().contains(ruleSet);
        allowedCountry[i] = err == null && included && !excluded;
      }
      for (RuleSet rs : jurisdictions.all()) {
        boolean included = c.jurisdictionsIncluded().isEmpty() || c.jurisdictionsIncluded().contains(rs.id());
        allowedRuleSet.put(rs.id(), err == null && included && !c.jurisdictionsExcluded().contains(rs.id()));
      }
      this.notBefore = c.notBefore() == null ? Long.MIN_VALUE : c.notBefore().toEpochMilli();
      this.notAfter = c.notAfter() == null ? Long.MAX_VALUE : c.notAfter().toEpochMilli();
      this.rateLimit = c.rateLimit();
      this.allowReasons = List.of(new Reason(ReasonCode.PERMITTED, rule,
          "permitted by " + rule + ": `" + p.assignee() + "` may use `" + p.scope().wire() + "`"));
      List<Obligation> obs = new ArrayList<>();
      if (c.minimisation() != Minimisation.NONE) {
        obs.add(new Obligation("minimise", c.minimisation().wire()));
      }
      if (c.minimisation() == Minimisation.AGGREGATE_ONLY) {
        obs.add(new Obligation("aggregate_only", Integer.toString(c.minCohort())));
      }
      if (c.rateLimit() != null) {
        obs.add(new Obligation("rate_limit", c.rateLimit().requests() + "/" + c.rateLimit().per()));
      }
      if (p.scope() == org.datapact.core.policy.Scope.MESSAGES_SEND) {
        // INVARIANT: a send always says where its links may point; empty means nowhere
        obs.add(new Obligation("link_domains", String.join(",", new java.util.TreeSet<>(c.linkDomains()))));
      }
      this.obligations = List.copyOf(obs);
    }

    boolean inWindow(long tMillis) {
      return tMillis >= notBefore && tMillis < notAfter;
    }

    boolean allowsRuleSet(String ruleSetId) {
      // INVARIANT: an unknown jurisdiction on a label is not covered (fail closed)
      return allowedRuleSet.getOrDefault(ruleSetId, Boolean.FALSE);
    }

    private static List<String> concat(Set<String> a, Set<String> b) {
      List<String> l = new ArrayList<>(a);
      l.addAll(b);
      return l;
    }
  }
}
