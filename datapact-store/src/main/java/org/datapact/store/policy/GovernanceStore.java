package org.datapact.store.policy;

import java.time.Instant;
import java.util.List;
import org.datapact.core.agreement.Interest;
import org.datapact.core.party.PartyId;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.jspecify.annotations.Nullable;

/**
 * The conflict-of-interest register and the approvals of agreement versions. Rows are written after
 * their ledger entry is durable, carrying its index (null for the demo world's history before the
 * ledger).
 */
public final class GovernanceStore {
  private final Database db;

  /**
   * @param db the open store
   */
  public GovernanceStore(Database db) {
    this.db = db;
  }

  private static final String INTEREST_COLUMNS =
      "person, organisation, kind, since, until, declared_by, declared_at";

  /** Reads an interest from a row of {@code id, INTEREST_COLUMNS}. */
  private static Interest interest(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Interest(
        rs.getString(2),
        PartyId.of(rs.getString(3)),
        Interest.Kind.fromWire(rs.getString(4)),
        SqlTime.required(rs.getObject(5)),
        SqlTime.instant(rs.getObject(6)),
        rs.getString(7),
        SqlTime.required(rs.getObject(8)));
  }

  /** Stores a declared interest. */
  public void insertInterest(Interest i, @Nullable Long ledgerIndex) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO interest_declaration (person, organisation, kind, since, until,"
                            + " declared_by, declared_at, ledger_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, i.person())
                    .bind(1, i.organisation().value())
                    .bind(2, i.kind().wire())
                    .bind(3, SqlTime.utc(i.since()))
                    .bind(4, SqlTime.utc(i.until()))
                    .bind(5, i.declaredBy())
                    .bind(6, SqlTime.utc(i.declaredAt()))
                    .bind(7, ledgerIndex)
                    .execute());
  }

  /**
   * @return the whole register, oldest declaration first
   */
  public List<Interest> interests() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, " + INTEREST_COLUMNS + " FROM interest_declaration ORDER BY id")
                    .map((rs, ctx) -> interest(rs))
                    .list());
  }

  /** An approval or a recusal of an agreement version. */
  public record Approval(
      String agreementId,
      int version,
      String approver,
      Instant at,
      String outcome,
      @Nullable String reason,
      @Nullable Long ledgerIndex) {}

  /** Stores an approval or a recusal. */
  public void insertApproval(Approval a) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO agreement_approval (agreement_id, version, approver, decided_at,"
                            + " outcome, reason, ledger_index) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, a.agreementId())
                    .bind(1, a.version())
                    .bind(2, a.approver())
                    .bind(3, SqlTime.utc(a.at()))
                    .bind(4, a.outcome())
                    .bind(5, a.reason())
                    .bind(6, a.ledgerIndex())
                    .execute());
  }

  /**
   * @return the approvals and recusals of one version, oldest first
   */
  public List<Approval> approvals(String agreementId, int version) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT agreement_id, version, approver, decided_at, outcome, reason,"
                            + " ledger_index FROM agreement_approval WHERE agreement_id = ? AND"
                            + " version = ? ORDER BY id")
                    .bind(0, agreementId)
                    .bind(1, version)
                    .map(
                        (rs, ctx) ->
                            new Approval(
                                rs.getString(1),
                                rs.getInt(2),
                                rs.getString(3),
                                SqlTime.required(rs.getObject(4)),
                                rs.getString(5),
                                rs.getString(6),
                                (Long) rs.getObject(7, Long.class)))
                    .list());
  }

  /** A row not yet in the ledger (the demo world's history), with its row id. */
  public record Pending<T>(long id, T row) {}

  /**
   * @return the declared interests not yet in the ledger, in id order
   */
  public List<Pending<Interest>> interestsNotInLedger() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, "
                            + INTEREST_COLUMNS
                            + " FROM interest_declaration WHERE ledger_index IS NULL ORDER BY id")
                    .map((rs, ctx) -> new Pending<>(rs.getLong(1), interest(rs)))
                    .list());
  }

  /**
   * @return the approvals and recusals not yet in the ledger, in id order
   */
  public List<Pending<Approval>> approvalsNotInLedger() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, agreement_id, version, approver, decided_at, outcome, reason"
                            + " FROM agreement_approval WHERE ledger_index IS NULL ORDER BY id")
                    .map(
                        (rs, ctx) ->
                            new Pending<>(
                                rs.getLong(1),
                                new Approval(
                                    rs.getString(2),
                                    rs.getInt(3),
                                    rs.getString(4),
                                    SqlTime.required(rs.getObject(5)),
                                    rs.getString(6),
                                    rs.getString(7),
                                    null)))
                    .list());
  }

  /** Records the ledger entry of an interest committed late. */
  public void interestCommitted(long id, long ledgerIndex) {
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE interest_declaration SET ledger_index = ? WHERE id = ?",
                    ledgerIndex,
                    id));
  }

  /** Records the ledger entry of an approval committed late. */
  public void approvalCommitted(long id, long ledgerIndex) {
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE agreement_approval SET ledger_index = ? WHERE id = ?",
                    ledgerIndex,
                    id));
  }

  /**
   * A report a partner filed, reconciled with DataPact's own count.
   *
   * @param ledgerIndex the entry that recorded it; -1 while a generated filing waits for the ledger
   */
  public record Report(
      PartyId partner,
      String agreement,
      String dutyId,
      String metric,
      String period,
      long reported,
      long observed,
      boolean discrepancy,
      String breakdown,
      Instant filedAt,
      String filedBy,
      long ledgerIndex) {}

  /** Stores a report (the caller checked that the period is not filed yet). */
  public void insertReport(Report r) {
    db.jdbi().useHandle(h -> insertReport(h, r));
  }

  /**
   * Stores a report filed on this node, whose entry ledger shard {@code shard} holds, and records
   * that it does, in one transaction (the caller checked that the period is not filed yet).
   */
  public void insertReport(Report r, String shard) {
    db.jdbi()
        .useTransaction(
            h -> {
              insertReport(h, r);
              h.createUpdate(
                      "INSERT INTO shard_report (shard, report_id) SELECT ?, id FROM duty_report"
                          + " WHERE partner_id = ? AND metric = ? AND period = ?")
                  .bind(0, shard)
                  .bind(1, r.partner().value())
                  .bind(2, r.metric())
                  .bind(3, r.period())
                  .execute();
            });
  }

  private static void insertReport(org.jdbi.v3.core.Handle h, Report r) {
    h.createUpdate(
            "INSERT INTO duty_report (partner_id, agreement, duty_id, metric, period,"
                + " reported, observed, discrepancy, breakdown, filed_at, filed_by,"
                + " ledger_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, r.partner().value())
        .bind(1, r.agreement())
        .bind(2, r.dutyId())
        .bind(3, r.metric())
        .bind(4, r.period())
        .bind(5, r.reported())
        .bind(6, r.observed())
        .bind(7, r.discrepancy())
        .bind(8, r.breakdown())
        .bind(9, SqlTime.utc(r.filedAt()))
        .bind(10, r.filedBy())
        .bind(11, r.ledgerIndex() < 0 ? null : r.ledgerIndex())
        .execute();
  }

  /**
   * @return the reports ledger shard {@code shard} holds no {@code report_filed} entry of (the
   *     generated world's, and those filed on other nodes), oldest filing first
   */
  public List<Pending<Report>> reportsNotInShard(String shard) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT id, "
                            + REPORT_COLUMNS
                            + " FROM duty_report r WHERE NOT EXISTS (SELECT 1 FROM shard_report s"
                            + " WHERE s.shard = ? AND s.report_id = r.id) ORDER BY filed_at, id")
                    .bind(0, shard)
                    .map((rs, ctx) -> new Pending<>(rs.getLong(1), report(rs, 1)))
                    .list());
  }

  /** Records that ledger shard {@code shard} holds report {@code id}'s entry. */
  public void reportInShard(String shard, long id) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate("INSERT INTO shard_report (shard, report_id) VALUES (?, ?)")
                    .bind(0, shard)
                    .bind(1, id)
                    .execute());
  }

  /** Records the ledger entry of a pending report. */
  public void reportCommitted(long id, long ledgerIndex) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate("UPDATE duty_report SET ledger_index = ? WHERE id = ?")
                    .bind(0, ledgerIndex)
                    .bind(1, id)
                    .execute());
  }

  /**
   * @return every filing, as the decision point needs them to tell whether a duty is met
   */
  public List<org.datapact.core.agreement.Filing> filings() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT partner_id, metric, period FROM duty_report")
                    .map(
                        (rs, ctx) ->
                            new org.datapact.core.agreement.Filing(
                                PartyId.of(rs.getString(1)), rs.getString(2), rs.getString(3)))
                    .list());
  }

  private static final String REPORT_COLUMNS =
      "partner_id, agreement, duty_id, metric, period, reported, observed,"
          + " discrepancy, breakdown, filed_at, filed_by, ledger_index";

  private static Report report(java.sql.ResultSet rs, int skip) throws java.sql.SQLException {
    long index = rs.getLong(skip + 12);
    boolean pending = rs.wasNull();
    return new Report(
        PartyId.of(rs.getString(skip + 1)),
        rs.getString(skip + 2),
        rs.getString(skip + 3),
        rs.getString(skip + 4),
        rs.getString(skip + 5),
        rs.getLong(skip + 6),
        rs.getLong(skip + 7),
        rs.getBoolean(skip + 8),
        rs.getString(skip + 9),
        SqlTime.required(rs.getObject(skip + 10)),
        rs.getString(skip + 11),
        pending ? -1 : index);
  }

  /**
   * @return whether the partner filed a report for this metric and period
   */
  public boolean reportFiled(PartyId partner, String metric, String period) {
    return db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT COUNT(*) FROM duty_report WHERE partner_id = ? AND metric = ? AND"
                                + " period = ?")
                        .bind(0, partner.value())
                        .bind(1, metric)
                        .bind(2, period)
                        .mapTo(Long.class)
                        .one())
        > 0;
  }

  /**
   * @return the reports of {@code partner}, or of everyone when null, newest period first
   */
  public List<Report> reports(@Nullable PartyId partner) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT "
                            + REPORT_COLUMNS
                            + " FROM duty_report WHERE (:all OR partner_id = :p)"
                            + " ORDER BY period DESC, partner_id, metric")
                    .bind("all", partner == null)
                    .bind("p", partner == null ? "" : partner.value())
                    .map((rs, ctx) -> report(rs, 0))
                    .list());
  }
}
