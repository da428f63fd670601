package org.datapact.store.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.datapact.store.party.PartyRepository;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Agreements (ODRL documents plus an append-only status history) and the append-only consent
 * history, and building the decision point's snapshot from them. Rows are only ever inserted:
 * history is never rewritten.
 */
public final class PolicyStore {
  private final Database db;
  private final OdrlCodec odrl = new OdrlCodec();

  /**
   * @param db the open store
   */
  public PolicyStore(Database db) {
    this.db = db;
  }

  /** Inserts agreement records (terms and status history) in one transaction. */
  public void insertAgreements(List<AgreementRecord> records) {
    db.jdbi()
        .useTransaction(
            h -> {
              for (AgreementRecord r : records) {
                insertAgreement(h, r);
              }
            });
  }

  private void insertAgreement(Handle h, AgreementRecord r) {
    AgreementVersion v = r.terms();
    h.createUpdate(
            "INSERT INTO agreement_version (agreement_id, version, counterparty, title, document) VALUES (?, ?, ?, ?, ?)")
        .bind(0, v.agreementId())
        .bind(1, v.version())
        .bind(2, v.counterparty().value())
        .bind(3, v.title())
        .bind(4, odrl.toJson(v))
        .execute();
    int seq = 0;
    for (AgreementRecord.StatusChange c : r.history()) {
      insertStatus(h, v, seq++, c);
    }
  }

  private static void insertStatus(
      Handle h, AgreementVersion v, int seq, AgreementRecord.StatusChange c) {
    h.createUpdate(
            "INSERT INTO agreement_status (agreement_id, version, seq, status, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(0, v.agreementId())
        .bind(1, v.version())
        .bind(2, seq)
        .bind(3, c.status().wire())
        .bind(4, SqlTime.utc(c.at()))
        .bind(5, c.by())
        .execute();
  }

  /** Appends a status change to a version's history. */
  public void appendStatus(AgreementVersion v, AgreementRecord.StatusChange change) {
    db.jdbi()
        .useTransaction(
            h -> {
              int next =
                  h.createQuery(
                          "SELECT COALESCE(MAX(seq), -1) + 1 FROM agreement_status WHERE agreement_id = ? AND version = ?")
                      .bind(0, v.agreementId())
                      .bind(1, v.version())
                      .mapTo(Integer.class)
                      .one();
              insertStatus(h, v, next, change);
            });
  }

  /**
   * @return every agreement record, by agreement id and version
   * @throws DataPactException if a stored document no longer parses (it was written by this codec)
   */
  public List<AgreementRecord> agreements() throws DataPactException {
    record Row(String id, int version, String document) {}
    List<Row> rows =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT agreement_id, version, document FROM agreement_version ORDER BY agreement_id, version")
                        .map((rs, ctx) -> new Row(rs.getString(1), rs.getInt(2), rs.getString(3)))
                        .list());
    Map<String, List<AgreementRecord.StatusChange>> history = new HashMap<>();
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT agreement_id, version, status, changed_at, changed_by FROM agreement_status ORDER BY agreement_id, version, seq")
                    .map(
                        (rs, ctx) -> {
                          history
                              .computeIfAbsent(
                                  rs.getString(1) + "@" + rs.getInt(2), k -> new ArrayList<>())
                              .add(
                                  new AgreementRecord.StatusChange(
                                      AgreementStatus.fromWire(rs.getString(3)),
                                      SqlTime.required(rs.getObject(4)),
                                      rs.getString(5)));
                          return Boolean.TRUE;
                        })
                    .forEach(x -> {}));
    List<AgreementRecord> out = new ArrayList<>();
    for (Row r : rows) {
      AgreementVersion v = odrl.fromJson(r.document(), r.id(), r.version());
      out.add(new AgreementRecord(v, history.getOrDefault(v.ref(), List.of())));
    }
    return out;
  }

  /** Appends consent changes that are not (yet) in the ledger, in order, in one transaction. */
  public void appendConsents(List<ConsentChange> changes) {
    append(changes, null);
  }

  /** Appends a consent change that the ledger recorded as entry {@code ledgerIndex}. */
  public void appendConsent(ConsentChange change, long ledgerIndex) {
    append(List.of(change), ledgerIndex, null, 0, null);
  }

  /**
   * Appends a consent change that ledger shard {@code shard} recorded as entry {@code ledgerIndex},
   * numbered {@code nodeSeq} among the changes node {@code nodeId} made (other nodes apply it in
   * that order, each recording it in its own shard), and records that {@code shard} holds it, in
   * one transaction.
   */
  public void appendConsent(
      ConsentChange change, long ledgerIndex, String nodeId, long nodeSeq, String shard) {
    append(List.of(change), ledgerIndex, nodeId, nodeSeq, shard);
  }

  private void append(List<ConsentChange> changes, @Nullable Long ledgerIndex) {
    append(changes, ledgerIndex, null, 0, null);
  }

  private void append(
      List<ConsentChange> changes,
      @Nullable Long ledgerIndex,
      @Nullable String nodeId,
      long nodeSeq,
      @Nullable String shard) {
    db.jdbi()
        .useTransaction(
            h -> {
              var batch =
                  h.prepareBatch(
                      "INSERT INTO consent_event (user_id, party_id, topic, granted, changed_at, expires_at, basis,"
                          + " source, ledger_index, node_id, node_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                          + " ?, ?)");
              for (ConsentChange c : changes) {
                batch
                    .bind(0, c.user().value())
                    .bind(1, c.party().value())
                    .bind(2, c.topic().wire())
                    .bind(3, c.granted())
                    .bind(4, SqlTime.utc(c.at()))
                    .bind(5, SqlTime.utc(c.expiresAt()))
                    .bind(6, c.basis().wire())
                    .bind(7, c.source())
                    .bind(8, ledgerIndex)
                    .bind(9, nodeId)
                    .bind(10, nodeId == null ? (Long) null : Long.valueOf(nodeSeq))
                    .add();
              }
              batch.execute();
              if (shard != null) {
                h.createUpdate(
                        "INSERT INTO shard_consent (shard, consent_id) SELECT ?, id FROM consent_event"
                            + " WHERE node_id = ? AND node_seq = ?")
                    .bind(0, shard)
                    .bind(1, nodeId)
                    .bind(2, nodeSeq)
                    .execute();
              }
            });
  }

  /**
   * @return the consent change of a {@code consent_event} row (columns by name)
   */
  public static ConsentChange consent(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new ConsentChange(
        UserId.of(rs.getLong("user_id")),
        PartyId.of(rs.getString("party_id")),
        ConsentTopic.fromWire(rs.getString("topic")),
        rs.getBoolean("granted"),
        SqlTime.required(rs.getObject("changed_at")),
        SqlTime.instant(rs.getObject("expires_at")),
        ConsentBasis.fromWire(rs.getString("basis")),
        rs.getString("source"));
  }

  /**
   * @return a user's whole consent history, oldest first
   */
  public List<ConsentChange> history(UserId user) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT user_id, party_id, topic, granted, changed_at, expires_at, basis, source FROM consent_event"
                            + " WHERE user_id = ? ORDER BY id")
                    .bind(0, user.value())
                    .map((rs, ctx) -> consent(rs))
                    .list());
  }

  /** A consent change with the ledger entry that recorded it. */
  public record Recorded(ConsentChange change, long ledgerIndex) {}

  /**
   * @return a user's consent changes the ledger has recorded, in order, with their entries: what a
   *     consent receipt is issued for
   */
  public List<Recorded> recordedHistory(UserId user) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT user_id, party_id, topic, granted, changed_at, expires_at, basis,"
                            + " source, ledger_index FROM consent_event"
                            + " WHERE user_id = ? AND ledger_index IS NOT NULL ORDER BY id")
                    .bind(0, user.value())
                    .map((rs, ctx) -> new Recorded(consent(rs), rs.getLong("ledger_index")))
                    .list());
  }

  /**
   * @return a user's current consents: the latest change per party and topic, when it is a grant
   */
  public List<ConsentChange> current(UserId user) {
    Map<String, ConsentChange> latest = new LinkedHashMap<>();
    for (ConsentChange c : history(user)) {
      latest.put(c.party().value() + "|" + c.topic().wire(), c);
    }
    return latest.values().stream().filter(ConsentChange::granted).toList();
  }

  /** Streams every consent change in history order. */
  public void forEachConsent(Consumer<ConsentChange> sink) {
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery(
                        "SELECT user_id, party_id, topic, granted, changed_at, expires_at, basis, source FROM consent_event ORDER BY id")
                    .setFetchSize(10_000)
                    .map((rs, ctx) -> consent(rs))
                    .forEach(sink));
  }

  /**
   * Builds the decision point's snapshot from the store: parties, every user's jurisdiction, the
   * whole consent history in order, and every agreement.
   */
  public PolicySnapshot loadSnapshot(Jurisdictions jurisdictions) throws DataPactException {
    return loadSnapshot(jurisdictions, c -> {});
  }

  /**
   * What a first start takes from the world it has just generated instead of reading it back.
   *
   * @param snapshot the decision point's snapshot, with the store's agreements and filings
   * @param history the consent history in order: change {@code i} is row {@code firstConsentId + i}
   *     of {@code consent_event}
   * @param firstConsentId the row of the first change
   */
  public record Generated(
      PolicySnapshot snapshot, List<ConsentChange> history, long firstConsentId) {}

  /**
   * The snapshot and consent history {@code generated} holds, built while this store was written,
   * if the store holds exactly what was generated: as many users and consent changes (and no
   * others), and the same parties. A first start takes them instead of reading the rows back
   * ({@link #loadSnapshot(Jurisdictions, Map, List, Consumer)} gives the same snapshot from them).
   *
   * @return them, or empty when anything was written beside the generator
   */
  public java.util.Optional<Generated> generated(
      org.datapact.core.world.GeneratedPolicy generated,
      Map<PartyId, PartyKind> kinds,
      List<AgreementRecord> agreements) {
    // Users and consent changes are only ever added once the world is generated (only the clearing
    // before a generation deletes them) and their ids are unique, so the span of their ids is at
    // least their count, the generator's rows among them: a span equal to what was generated means
    // nothing else was added, and (one writer, ids rising as it inserts) that the generator's
    // consent changes are the rows from the first id on, in order. Read from the primary keys'
    // ends, not counted (a count walks the millions of rows just written).
    long[] held =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT (SELECT COALESCE(MAX(id) - MIN(id) + 1, 0) FROM app_user),"
                                + " (SELECT COALESCE(MAX(id) - MIN(id) + 1, 0) FROM consent_event),"
                                + " (SELECT COALESCE(MIN(id), 0) FROM consent_event)")
                        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                        .one());
    if (!generated.standsFor(held[0], held[1], kinds)) {
      return java.util.Optional.empty();
    }
    PolicySnapshot snapshot = generated.snapshot(agreements, new GovernanceStore(db).filings());
    return java.util.Optional.of(new Generated(snapshot, generated.history(), held[2]));
  }

  /**
   * @return every registered party's kind (partners and units), as the snapshot is built from
   */
  public Map<PartyId, PartyKind> partyKinds() {
    Map<PartyId, PartyKind> kinds = new HashMap<>();
    new PartyRepository(db).all().forEach(p -> kinds.put(p.id(), p.kind()));
    return kinds;
  }

  /**
   * Builds the decision point's snapshot as {@link #loadSnapshot(Jurisdictions)} does, handing
   * every consent change it reads to {@code alsoTo} as well, in history order (so that another
   * index built from the same history reads the table once, not twice).
   */
  public PolicySnapshot loadSnapshot(Jurisdictions jurisdictions, Consumer<ConsentChange> alsoTo)
      throws DataPactException {
    return loadSnapshot(jurisdictions, partyKinds(), agreements(), alsoTo);
  }

  /**
   * Builds the decision point's snapshot as {@link #loadSnapshot(Jurisdictions, Consumer)} does,
   * from the party kinds and agreement records the caller read already ({@link #partyKinds}, {@link
   * #agreements}).
   */
  public PolicySnapshot loadSnapshot(
      Jurisdictions jurisdictions,
      Map<PartyId, PartyKind> kinds,
      List<AgreementRecord> agreements,
      Consumer<ConsentChange> alsoTo)
      throws DataPactException {
    PolicySnapshot.Builder b = PolicySnapshot.builder(jurisdictions, kinds).agreements(agreements);
    db.jdbi()
        .useHandle(
            h ->
                h.createQuery("SELECT id, country FROM app_user ORDER BY id")
                    .setFetchSize(10_000)
                    .map(
                        (rs, ctx) -> {
                          b.subject(UserId.of(rs.getLong(1)), CountryCode.of(rs.getString(2)));
                          return Boolean.TRUE;
                        })
                    .forEach(x -> {}));
    forEachConsent(
        c -> {
          b.consent(c);
          alsoTo.accept(c);
        });
    new GovernanceStore(db).filings().forEach(b::filing);
    return b.build();
  }
}
