package org.datapact.server.governance;

import java.util.LinkedHashMap;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.Interest;
import org.datapact.server.ledger.AuditTrail;
import org.datapact.store.Database;
import org.datapact.store.policy.GovernanceStore;

/**
 * At start, commits to the ledger the governance history the store holds and the ledger does not
 * (the demo world's interest register and approvals, generated before any ledger), each with its
 * original time, and records the entries' indexes — as the consent history is backfilled.
 */
public final class GovernanceBackfill {
  private GovernanceBackfill() {}

  /**
   * @return how many entries were appended
   * @throws DataPactException if the ledger refuses an entry
   */
  public static int commitPending(Database db, AuditTrail audit) throws DataPactException {
    GovernanceStore store = new GovernanceStore(db);
    int n = 0;
    for (GovernanceStore.Pending<Interest> p : store.interestsNotInLedger()) {
      store.interestCommitted(
          p.id(),
          audit.governance(
              p.row().declaredAt(), "interest_declared", p.row().declaredBy(), detail(p.row())));
      n++;
    }
    for (GovernanceStore.Pending<GovernanceStore.Approval> p : store.approvalsNotInLedger()) {
      GovernanceStore.Approval a = p.row();
      Map<String, String> d = new LinkedHashMap<>();
      d.put("agreement", a.agreementId() + "@" + a.version());
      if (a.reason() != null) {
        d.put("reason", a.reason());
      }
      String action = a.outcome().equals("recused") ? "approval_recused" : "approved";
      store.approvalCommitted(p.id(), audit.governance(a.at(), action, a.approver(), d));
      n++;
    }
    n += commitReports(db, audit);
    org.datapact.store.party.Registry registry = new org.datapact.store.party.Registry(db);
    for (org.datapact.store.party.Registry.Pending p : registry.changesNotInLedger()) {
      var c = p.change();
      Map<String, String> d = new LinkedHashMap<>();
      d.put("party", c.party().value());
      if (c.clientId() != null) {
        d.put("client", c.clientId());
      }
      d.put("via", "cli");
      registry.changeCommitted(p.id(), audit.governance(c.at(), c.action(), c.by(), d));
      n++;
    }
    return n;
  }

  /**
   * Commits to this node's shard every reciprocity report it holds no entry of: the generated
   * world's, and those filed on other nodes (at start, those filed while this node was not running;
   * on the change feed, before this node applies a filing) — a duty-gated decision replays only
   * from a shard that holds the filings it was decided on.
   *
   * @return how many entries were appended
   */
  public static int commitReports(Database db, AuditTrail audit) throws DataPactException {
    GovernanceStore store = new GovernanceStore(db);
    String shard = audit.ledger().origin();
    int n = 0;
    for (GovernanceStore.Pending<GovernanceStore.Report> p : store.reportsNotInShard(shard)) {
      GovernanceStore.Report r = p.row();
      long index =
          audit.governance(r.filedAt(), "report_filed", r.filedBy(), ReportsFeature.detail(r));
      if (r.ledgerIndex() < 0) {
        store.reportCommitted(p.id(), index); // the generated world's, in no shard before
      }
      store.reportInShard(shard, p.id());
      n++;
    }
    return n;
  }

  /**
   * @return an interest's details as its ledger entry holds them
   */
  static Map<String, String> detail(Interest i) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("person", i.person());
    d.put("organisation", i.organisation().value());
    d.put("kind", i.kind().wire());
    d.put("since", i.since().toString());
    if (i.until() != null) {
      d.put("until", i.until().toString());
    }
    return d;
  }
}
