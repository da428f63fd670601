package org.datapact.server.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.ledger.log.LogReader;

/**
 * What the log says happened, by month: releases by principal, agreement version, scope, purpose
 * and the subject's jurisdiction; denials by reason; consent grants and revocations; governance
 * acts (approvals, conflict-of-interest recusals, reports filed, transparency releases). Counted
 * from the ledger, not the store, so the regulator's figures are the ones the log proves; kept up
 * to date incrementally (each read counts only the entries appended since the last), so a large log
 * is read once per server start.
 */
public final class LedgerActivity {
  private final LedgerService ledger;
  private final ObjectMapper mapper;
  private final EntryCodec codec;
  private final Jurisdictions jurisdictions = Jurisdictions.standard();
  private long scanned;
  private final Map<List<String>, long[]> releases = new TreeMap<>(LedgerActivity::compare);
  private final Map<List<String>, long[]> denials = new TreeMap<>(LedgerActivity::compare);
  private final Map<List<String>, long[]> consents = new TreeMap<>(LedgerActivity::compare);
  private final Map<List<String>, long[]> governance = new TreeMap<>(LedgerActivity::compare);

  /**
   * @param ledger the log counted
   */
  public LedgerActivity(LedgerService ledger, ObjectMapper mapper) {
    this.ledger = ledger;
    this.mapper = mapper;
    this.codec = new EntryCodec(mapper);
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** One row: its keys, in the order of the table's columns, and its count. */
  public record Row(List<String> keys, long count) {}

  /**
   * The counts so far.
   *
   * @param entries how many entries of the log they cover
   */
  public record Activity(
      long entries,
      List<Row> releases,
      List<Row> denials,
      List<Row> consents,
      List<Row> governance) {}

  /**
   * @return the counts over the whole log as it is now
   * @throws DataPactException unavailable when the log cannot be read
   */
  public synchronized Activity now() throws DataPactException {
    long size = ledger.log().size();
    if (size > scanned) {
      try (LogReader log = LogReader.open(ledger.directory().resolve("log"))) {
        long end = Math.min(size, log.size());
        log.forEach(scanned, end, (i, bytes) -> count(bytes));
        scanned = end;
      } catch (IOException | IllegalArgumentException e) {
        throw new DataPactException(
            ErrorKind.UNAVAILABLE, "cannot read the ledger's activity: " + e.getMessage(), e);
      }
    }
    return new Activity(scanned, rows(releases), rows(denials), rows(consents), rows(governance));
  }

  /**
   * @return the counts of several shards added up: each table's rows with the same keys summed
   */
  public static Activity sum(List<Activity> shards) {
    long entries = 0;
    Map<List<String>, long[]> releases = new TreeMap<>(LedgerActivity::compare);
    Map<List<String>, long[]> denials = new TreeMap<>(LedgerActivity::compare);
    Map<List<String>, long[]> consents = new TreeMap<>(LedgerActivity::compare);
    Map<List<String>, long[]> governance = new TreeMap<>(LedgerActivity::compare);
    for (Activity a : shards) {
      entries += a.entries();
      addAll(releases, a.releases());
      addAll(denials, a.denials());
      addAll(consents, a.consents());
      addAll(governance, a.governance());
    }
    return new Activity(entries, rows(releases), rows(denials), rows(consents), rows(governance));
  }

  private static void addAll(Map<List<String>, long[]> m, List<Row> rows) {
    for (Row r : rows) {
      m.computeIfAbsent(r.keys(), k -> new long[1])[0] += r.count();
    }
  }

  private static List<Row> rows(Map<List<String>, long[]> m) {
    List<Row> out = new ArrayList<>(m.size());
    m.forEach((k, v) -> out.add(new Row(k, v[0])));
    return out;
  }

  private static String month(java.time.Instant at) {
    return at.atZone(ZoneOffset.UTC).toLocalDate().toString().substring(0, 7);
  }

  private static void add(Map<List<String>, long[]> m, String... keys) {
    m.computeIfAbsent(List.of(keys), k -> new long[1])[0]++;
  }

  private void count(byte[] bytes) throws IOException {
    LedgerEntry e = codec.decode(bytes);
    if (e instanceof LedgerEntry.DecisionEntry d) {
      if (d.askedBy() != null) {
        return; // a what-if releases nothing
      }
      String month = month(d.at());
      if ("allow".equals(d.effect())) {
        add(
            releases,
            month,
            d.principal().value(),
            d.agreementVersion() == null ? "—" : d.agreementVersion(),
            d.scope().wire(),
            d.purpose().wire(),
            jurisdiction(d));
      } else {
        String reason = d.reasons().isEmpty() ? "—" : d.reasons().get(0).split(" ", 2)[0];
        add(denials, month, d.principal().value(), reason);
      }
    } else if (e instanceof LedgerEntry.ConsentEntry c) {
      add(
          consents,
          month(c.at()),
          c.party().value(),
          c.topic().wire(),
          c.granted() ? "grant" : "revoke");
    } else if (e instanceof LedgerEntry.GovernanceEntry g) {
      add(governance, month(g.at()), g.action());
    }
  }

  private String jurisdiction(LedgerEntry.DecisionEntry d) throws IOException {
    if (d.subject() == null) {
      return "dataset";
    }
    var personal = LedgerEntries.open(mapper, ledger.subjects(), d.subject(), d.personal());
    if (personal.isEmpty()) {
      return "erased";
    }
    return personal.get().country().map(c -> jurisdictions.of(c).id()).orElse("unknown");
  }
}
