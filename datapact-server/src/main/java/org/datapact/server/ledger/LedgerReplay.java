package org.datapact.server.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Filing;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.user.UserId;
import org.datapact.ledger.log.LogReader;
import org.datapact.ledger.subject.SubjectKeys;
import org.datapact.store.policy.OdrlCodec;
import org.jspecify.annotations.Nullable;

/**
 * Re-decides a decision entry from the log alone: the party list, agreement versions, the reports
 * filed and the subject's consent changes committed before it, and the request the entry records
 * (its personal fields opened with the subject's key). Reads the ledger directory without writing,
 * so it runs beside a server or on a copy; it needs no database.
 */
public final class LedgerReplay {
  private LedgerReplay() {}

  /**
   * How much older than an allow a revocation it did not see may be. A decision is made on the
   * policy in force when it is evaluated; a revocation is in force on its own node once its entry
   * is durable (within {@link LedgerService#DURABLE_TIMEOUT} of it being made, else it fails), and
   * on another node once that node's change feed has applied it (a node more than {@link
   * org.datapact.server.cluster.ChangeFeed#MAX_STALENESS} behind refuses every allow). An allow
   * claiming a policy from before a revocation made longer ago than this — the sum with a wide
   * margin for the nodes' clocks — is not explained by the log, whatever its verdict.
   */
  static final java.time.Duration MAX_POLICY_LAG = java.time.Duration.ofSeconds(30);

  /** The recorded reasons of a send refused for one of its recipients. */
  private static final String RECIPIENT_REFUSED = "recipient_refused recipients";

  /** How a replay ended. */
  public enum Outcome {
    /** The replayed decision equals the recorded one. */
    MATCH,
    /** It differs: the log does not explain the recorded decision. */
    MISMATCH,
    /** The subject was erased: the personal fields the replay needs are gone. */
    ERASED,
    /** The entry is not a decision. */
    NOT_A_DECISION,
    /**
     * It differs, and this shard evidently lacks the decision's inputs (the agreement version it
     * names, or any consent change of its subject) while the deployment writes other shards: those
     * are recorded in the shard of the node where they were made, so this shard alone cannot say.
     */
    OTHER_SHARDS
  }

  /**
   * A replay's result.
   *
   * @param recorded the recorded effect, reasons and agreement version
   * @param replayed the same, replayed (null unless the replay ran)
   * @param agreements agreement versions the replay used
   * @param consents the subject's consent changes the replay applied
   */
  public record Result(
      long index,
      Outcome outcome,
      @Nullable Verdict recorded,
      @Nullable Verdict replayed,
      int agreements,
      int consents,
      String message,
      @Nullable Inputs inputs) {}

  /**
   * What the replay decided from, as the log holds it.
   *
   * @param request the recorded request: principal, subject's country, scope, purpose, time, labels
   * @param agreement the ODRL terms of the agreement version the decision names (recorded, else
   *     replayed), with its status history; null when it names none
   * @param consents the subject's consent changes the decision was made under, in order
   * @param policyThrough the last entry whose policy the decision point had applied when it
   *     decided, as the entry records it; -1 for an entry from before it was recorded (its policy
   *     is every entry before it)
   * @param notYetInForce the subject's consent changes recorded after {@code policyThrough} and
   *     before the entry: made while the decision was on its way to the log, so not applied to it
   */
  public record Inputs(
      Map<String, Object> request,
      @Nullable Map<String, Object> agreement,
      List<Map<String, Object>> consents,
      long policyThrough,
      List<Map<String, Object>> notYetInForce) {}

  private static Inputs inputs(
      LedgerEntry.DecisionEntry target,
      Optional<LedgerEntries.Personal> personal,
      Map<String, LedgerEntry.AgreementEntry> documents,
      List<ConsentChange> consents,
      long policyThrough,
      List<ConsentChange> notYetInForce,
      @Nullable String agreementRef) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("principal", target.principal().value());
    request.put("onBehalfOf", target.onBehalfOf() == null ? null : target.onBehalfOf().value());
    request.put("scope", target.scope().wire());
    request.put("purpose", target.purpose().wire());
    request.put("at", target.at().toString());
    request.put(
        "country",
        personal.flatMap(LedgerEntries.Personal::country).map(c -> c.value()).orElse(null));
    request.put(
        "labels",
        target.labels().stream()
            .map(
                l ->
                    l.source().value()
                        + " "
                        + l.category().wire()
                        + " ("
                        + l.jurisdiction().value()
                        + ")")
            .toList());
    request.put("endpoint", target.endpoint());
    Map<String, Object> agreement = null;
    LedgerEntry.AgreementEntry a = agreementRef == null ? null : documents.get(agreementRef);
    if (a != null) {
      agreement = new LinkedHashMap<>();
      agreement.put("version", agreementRef);
      agreement.put("document", a.document());
      agreement.put(
          "history",
          a.history().stream()
              .map(h -> Map.of("status", h.status().wire(), "at", h.at().toString(), "by", h.by()))
              .toList());
    }
    return new Inputs(request, agreement, wire(consents), policyThrough, wire(notYetInForce));
  }

  private static List<Map<String, Object>> wire(List<ConsentChange> consents) {
    List<Map<String, Object>> changes = new ArrayList<>();
    for (ConsentChange c : consents) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", c.at().toString());
      m.put("party", c.party().value());
      m.put("topic", c.topic().wire());
      m.put("action", c.granted() ? "grant" : "revoke");
      m.put("expiresAt", c.expiresAt() == null ? null : c.expiresAt().toString());
      m.put("basis", c.basis().wire());
      changes.add(m);
    }
    return changes;
  }

  /** The parts of a decision a replay compares. */
  public record Verdict(String effect, List<String> reasons, @Nullable String agreementVersion) {
    static Verdict of(Decision d) {
      return new Verdict(d.effect().wire(), LedgerEntries.reasons(d), d.agreementVersion());
    }

    static Verdict of(LedgerEntry.DecisionEntry e) {
      return new Verdict(e.effect(), e.reasons(), e.agreementVersion());
    }
  }

  /**
   * Replays entry {@code index} of the ledger in {@code ledgerDir} (the directory holding {@code
   * log/} and {@code keys/}).
   *
   * @throws DataPactException invalid input when there is no such entry
   */
  public static Result replay(Path ledgerDir, long index, ObjectMapper mapper)
      throws IOException, DataPactException {
    try (LogReader log = LogReader.open(ledgerDir.resolve("log"));
        SubjectKeys keys = SubjectKeys.open(LedgerService.subjectKeysFile(ledgerDir))) {
      return replay(log, keys, index, mapper);
    }
  }

  /**
   * Replays entry {@code index} of {@code log}, opening personal fields with {@code keys} (a
   * running server's own).
   *
   * @throws DataPactException invalid input when there is no such entry
   */
  public static Result replay(LogReader log, SubjectKeys keys, long index, ObjectMapper mapper)
      throws IOException, DataPactException {
    return replay(log, keys, index, mapper, 1);
  }

  /**
   * Replays entry {@code index} of {@code log} as {@link #replay(LogReader, SubjectKeys, long,
   * ObjectMapper)}, in a deployment that writes {@code shards} ledger shards: a verdict that
   * differs because this shard evidently lacks the decision's inputs is {@link
   * Outcome#OTHER_SHARDS}, not {@link Outcome#MISMATCH}.
   */
  public static Result replay(
      LogReader log, SubjectKeys keys, long index, ObjectMapper mapper, int shards)
      throws IOException, DataPactException {
    try {
      if (index < 0 || index >= log.size()) {
        throw DataPactException.invalid(
            "no entry " + index + " in a log of " + log.size() + " entries");
      }
      EntryCodec codec = new EntryCodec(mapper);
      LedgerEntry read = codec.decode(log.entry(index));
      if (!(read instanceof LedgerEntry.DecisionEntry target)) {
        return new Result(
            index,
            Outcome.NOT_A_DECISION,
            null,
            null,
            0,
            0,
            "entry " + index + " is a `" + read.type() + "` entry, not a decision",
            null);
      }
      Verdict recorded = Verdict.of(target);
      String subject = target.subject();
      Optional<LedgerEntries.Personal> personal =
          LedgerEntries.open(mapper, keys, subject, target.personal());
      if (subject != null && personal.isEmpty()) {
        return new Result(
            index,
            Outcome.ERASED,
            recorded,
            null,
            0,
            0,
            "entry " + index + " cannot be replayed: its subject was erased (crypto-shredded)",
            null);
      }

      Map<PartyId, PartyKind> kinds = new HashMap<>();
      Map<String, AgreementRecord> agreements = new LinkedHashMap<>();
      Map<String, LedgerEntry.AgreementEntry> documents = new HashMap<>();
      List<ConsentChange> consents = new ArrayList<>();
      List<Filing> filings = new ArrayList<>();
      OdrlCodec odrl = new OdrlCodec();
      UserId user = personal.map(p -> UserId.of(p.user())).orElse(null);
      // The policy the decision was made under ends where the entry says (a change recorded while
      // the decision was on its way to the log is after that point); older entries do not say, and
      // their policy is everything before them.
      long through = target.policyThrough();
      if (through >= index) {
        return new Result(
            index,
            Outcome.MISMATCH,
            recorded,
            null,
            0,
            0,
            "entry "
                + index
                + " does NOT replay: it claims to have been decided on the policy through entry "
                + through
                + ", which is not before it",
            null);
      }
      long policyEnd = through >= 0 ? through + 1 : index;
      List<ConsentChange> notYetInForce = new ArrayList<>();
      log.forEach(
          index,
          (i, bytes) -> {
            LedgerEntry e = codec.decode(bytes);
            if (i >= policyEnd) {
              // recorded while the decision was on its way to the log: not its policy
              if (e instanceof LedgerEntry.ConsentEntry c
                  && user != null
                  && c.subject().equals(subject)) {
                notYetInForce.add(change(user, c));
              }
            } else if (e instanceof LedgerEntry.PartiesEntry p) {
              kinds.clear();
              kinds.putAll(p.parties());
            } else if (e instanceof LedgerEntry.AgreementEntry a) {
              agreements.put(a.ref(), agreement(odrl, a));
              documents.put(a.ref(), a);
            } else if (e instanceof LedgerEntry.GovernanceEntry g
                && g.action().equals("report_filed")) {
              filings.add(
                  new Filing(
                      PartyId.of(field(g, "partner")), field(g, "metric"), field(g, "period")));
            } else if (e instanceof LedgerEntry.ConsentEntry c
                && user != null
                && c.subject().equals(subject)) {
              consents.add(change(user, c));
            }
          });

      PolicySnapshot.Builder b =
          PolicySnapshot.builder(Jurisdictions.standard(), kinds).agreements(agreements.values());
      filings.forEach(b::filing);
      if (user != null
          && personal
              .get()
              .country()
              .isPresent()) { // no country: the decision point did not know the user
        b.subject(user, personal.get().country().get());
        consents.forEach(b::consent);
      }
      Decision d = b.build().decide(target.request(user));
      Verdict replayed = Verdict.of(d);
      Inputs inputs =
          inputs(
              target,
              personal,
              documents,
              consents,
              through,
              notYetInForce,
              recorded.agreementVersion() != null
                  ? recorded.agreementVersion()
                  : replayed.agreementVersion());
      java.util.function.BiFunction<Outcome, String, Result> result =
          (outcome, message) ->
              new Result(
                  index,
                  outcome,
                  recorded,
                  replayed,
                  agreements.size(),
                  consents.size(),
                  message,
                  inputs);
      if (recorded.effect().equals("deny")
          && recorded.reasons().equals(List.of(RECIPIENT_REFUSED))) {
        // A send refused for a recipient: the sender's own decision was allowed and is what the log
        // can re-decide; the recipient check (friendship, their consent) is not in the log.
        boolean same =
            d.allowed()
                && java.util.Objects.equals(d.agreementVersion(), recorded.agreementVersion());
        return result.apply(
            same ? Outcome.MATCH : Outcome.MISMATCH,
            same
                ? "entry "
                    + index
                    + " replays: the sender's decision is allow under "
                    + d.agreementVersion()
                    + ", and a recipient was refused (which one and why is not in the log, so that part is not replayed)"
                : "entry "
                    + index
                    + " does NOT replay: a send refused for a recipient, but the sender's decision replays "
                    + replayed);
      }
      boolean same = replayed.equals(recorded);
      String tooOld =
          same && recorded.effect().equals("allow")
              ? tooOld(index, target, through, notYetInForce)
              : null;
      if (tooOld != null) {
        return result.apply(Outcome.MISMATCH, tooOld);
      }
      boolean lacksAgreement =
          recorded.agreementVersion() != null
              && !documents.containsKey(recorded.agreementVersion());
      boolean lacksConsents = user != null && consents.isEmpty();
      if (!same && shards > 1 && (lacksAgreement || lacksConsents)) {
        return result.apply(
            Outcome.OTHER_SHARDS,
            "entry "
                + index
                + " does not replay from this shard alone: it holds "
                + (lacksAgreement
                    ? "no entry of agreement version " + recorded.agreementVersion()
                    : "no consent change of the subject")
                + ", and this deployment writes "
                + shards
                + " shards (agreement versions and consent changes are recorded in the shard of"
                + " the node where they were made)");
      }
      return result.apply(
          same ? Outcome.MATCH : Outcome.MISMATCH,
          same
              ? "entry "
                  + index
                  + " replays: "
                  + replayed.effect()
                  + " from "
                  + agreements.size()
                  + " agreement versions and "
                  + consents.size()
                  + " consent changes"
                  + (through >= 0 ? ", the policy through entry " + through : "")
                  + (notYetInForce.isEmpty()
                      ? ""
                      : " ("
                          + notYetInForce.size()
                          + " of the subject's consent changes recorded after that, before this"
                          + " entry, were not yet in force when it was decided)")
              : "entry "
                  + index
                  + " does NOT replay: recorded "
                  + recorded
                  + ", replayed "
                  + replayed);
    } catch (DataPactException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "the log holds an entry this version cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * @return why an allow on the policy through {@code through} is not explained by the log — a
   *     revocation it did not see was made more than {@link #MAX_POLICY_LAG} before it — or null
   */
  private static @Nullable String tooOld(
      long index,
      LedgerEntry.DecisionEntry target,
      long through,
      List<ConsentChange> notYetInForce) {
    for (ConsentChange c : notYetInForce) {
      if (!c.granted() && c.at().plus(MAX_POLICY_LAG).isBefore(target.at())) {
        return "entry "
            + index
            + " does NOT replay: it allows on the policy through entry "
            + through
            + ", before a revocation made at "
            + c.at()
            + ", "
            + java.time.Duration.between(c.at(), target.at()).toSeconds()
            + " s before the decision; no decision is made on a policy that old (at most "
            + MAX_POLICY_LAG.toSeconds()
            + " s)";
      }
    }
    return null;
  }

  private static ConsentChange change(UserId user, LedgerEntry.ConsentEntry c) {
    return new ConsentChange(
        user, c.party(), c.topic(), c.granted(), c.at(), c.expiresAt(), c.basis(), c.source());
  }

  private static String field(LedgerEntry.GovernanceEntry g, String name) {
    String v = g.detail().get(name);
    if (v == null) {
      throw new IllegalArgumentException("a `" + g.action() + "` entry without `" + name + "`");
    }
    return v;
  }

  private static AgreementRecord agreement(OdrlCodec odrl, LedgerEntry.AgreementEntry e)
      throws IOException {
    try {
      return new AgreementRecord(
          odrl.fromJson(e.document().toString(), e.agreementId(), e.version()), e.history());
    } catch (DataPactException ex) {
      throw new IOException("agreement entry does not parse: " + ex.getMessage(), ex);
    }
  }
}
