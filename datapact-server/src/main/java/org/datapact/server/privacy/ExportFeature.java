package org.datapact.server.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.user.User;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.store.partner.PartnerData;
import org.datapact.store.policy.PolicyStore;
import org.datapact.store.user.UserRepository;
import org.jspecify.annotations.Nullable;

/**
 * What a user can take away: their access history — every ledger entry about them, filtered, as
 * JSON or CSV — and one JSON archive of everything DataPact holds about them (profile, friends,
 * consents with their signed receipts, access history, the partner signals held with their labels,
 * the segments the audience index counts them in now). Only ever the caller's own.
 */
public final class ExportFeature implements Feature {
  /**
   * The most entries one history or archive carries; {@code truncated} says when there are more.
   */
  static final int MAX_ENTRIES = 10_000;

  private final ServerContext context;
  private final UserRepository users;
  private final PolicyStore policies;
  private final PartnerData partnerData;
  private final ConsentReceipts receipts;

  /**
   * @param context the server's shared parts
   */
  public ExportFeature(ServerContext context) {
    this.context = context;
    this.users = new UserRepository(context.db());
    this.policies = new PolicyStore(context.db());
    this.partnerData = new PartnerData(context.db());
    this.receipts =
        new ConsentReceipts(
            context.ledger().receiptKeys(), ConsentReceipts.CONTROLLER, context.mapper());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/me/history", this::history, Role.USER),
        Route.get("/api/v1/me/export", this::export, Role.USER));
  }

  /** A filter over entries: each field null when not asked. */
  private record Filter(@Nullable String party, @Nullable String effect, @Nullable String type) {
    boolean keeps(JsonNode e) {
      return (party == null
              || party.equals(e.path("principal").asText(null))
              || party.equals(e.path("party").asText(null)))
          && (effect == null || effect.equals(e.path("effect").asText(null)))
          && (type == null || type.equals(e.path("type").asText(null)));
    }
  }

  /**
   * @return the user's entries, newest first, at most {@link #MAX_ENTRIES}; the flag says whether
   *     there were more
   */
  private Map.Entry<List<ObjectNode>, Boolean> entries(UserId user, Filter filter)
      throws DataPactException {
    List<ObjectNode> out = new ArrayList<>();
    long before = Long.MAX_VALUE;
    while (true) {
      List<ObjectNode> page = context.audit().entriesOf(user, before, 100);
      for (ObjectNode e : page) {
        if (filter.keeps(e)) {
          if (out.size() == MAX_ENTRIES) {
            return Map.entry(out, true);
          }
          out.add(e);
        }
      }
      if (page.size() < 100) {
        return Map.entry(out, false);
      }
      before = page.get(page.size() - 1).get("index").asLong();
    }
  }

  private static @Nullable String param(Context ctx, String name, String... allowed)
      throws DataPactException {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    if (allowed.length > 0 && !List.of(allowed).contains(v)) {
      throw DataPactException.invalid(
          "`" + name + "`: one of " + String.join(", ", allowed) + ", got `" + v + "`");
    }
    if (!v.matches("[a-z0-9_.-]{1,64}")) {
      throw DataPactException.invalid("`" + name + "`: a party id, got `" + v + "`");
    }
    return v;
  }

  private void history(Context ctx) throws DataPactException {
    UserId user = AccessControl.requireCaller(ctx).requireUser();
    String format = param(ctx, "format", "json", "csv");
    Filter filter =
        new Filter(
            param(ctx, "party"),
            param(ctx, "effect", "allow", "deny"),
            param(ctx, "type", "decision", "consent", "erasure"));
    var entries = entries(user, filter);
    if ("csv".equals(format)) {
      ctx.header("Content-Disposition", "attachment; filename=\"datapact-access-history.csv\"");
      ctx.contentType("text/csv; charset=utf-8");
      ctx.result(csv(entries.getKey()));
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entries", entries.getKey());
    m.put("truncated", entries.getValue());
    if ("json".equals(format)) {
      ctx.header("Content-Disposition", "attachment; filename=\"datapact-access-history.json\"");
    }
    ctx.json(m);
  }

  /**
   * @return the entries as RFC 4180 CSV: one row each, who, what, the outcome and why
   */
  static String csv(List<ObjectNode> entries) {
    StringBuilder sb =
        new StringBuilder("index,at,type,who,scope,purpose,outcome,reasons,agreement_version\r\n");
    for (ObjectNode e : entries) {
      List<String> reasons = new ArrayList<>();
      e.path("reasons").forEach(r -> reasons.add(r.asText()));
      String[] cells = {
        e.path("index").asText(),
        e.path("at").asText(),
        e.path("type").asText(),
        e.has("principal") ? e.path("principal").asText() : e.path("party").asText(),
        e.path("scope").asText(),
        e.has("purpose") ? e.path("purpose").asText() : e.path("topic").asText(),
        e.has("effect") ? e.path("effect").asText() : e.path("action").asText(),
        String.join("; ", reasons),
        e.path("agreementVersion").asText()
      };
      for (int i = 0; i < cells.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(cell(cells[i]));
      }
      sb.append("\r\n");
    }
    return sb.toString();
  }

  private static String cell(String v) {
    // a cell a spreadsheet would read as a formula is quoted and prefixed (CSV injection)
    String s = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? '"' + s.replace("\"", "\"\"") + '"'
        : s;
  }

  private Object json(String text) {
    try {
      return context.mapper().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return text; // a payload stored as text stays text
    }
  }

  private void export(Context ctx) throws DataPactException {
    UserId id = AccessControl.requireCaller(ctx).requireUser();
    User u =
        users
            .find(id)
            .orElseThrow(() -> DataPactException.notFound("your user record no longer exists"));
    Instant now = context.clock().instant();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("exportedAt", now.toString());
    m.put(
        "about",
        "Everything DataPact holds about you: your profile and friends, your consents with their"
            + " signed receipts (check them with the key at /api/v1/ledger/receipt-key), every ledger"
            + " entry about you, the partner signals held about you with their labels, and the"
            + " segments the audience index counts you in now.");
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("userId", u.id().value());
    profile.put("handle", u.handle());
    profile.put("displayName", u.displayName());
    profile.put("country", u.country().value());
    m.put("profile", profile);
    List<Map<String, Object>> friends = new ArrayList<>();
    for (User f : users.friends(id, 0, 100_000)) {
      friends.add(
          Map.of("userId", f.id().value(), "handle", f.handle(), "displayName", f.displayName()));
    }
    m.put("friends", friends);
    List<Map<String, Object>> consents = new ArrayList<>();
    for (ConsentChange c : policies.history(id)) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("action", c.granted() ? "grant" : "revoke");
      x.put("party", c.party().value());
      x.put("topic", c.topic().wire());
      x.put("at", c.at().toString());
      x.put("basis", c.basis().wire());
      x.put("source", c.source());
      if (c.expiresAt() != null) {
        x.put("expiresAt", c.expiresAt().toString());
      }
      consents.add(x);
    }
    // a receipt for every change made through DataPact (the generated world's history before it
    // has none: those changes were committed to the ledger in one batch at its first start)
    List<Map<String, Object>> signed = new ArrayList<>();
    var snapshot = context.decisions().snapshot();
    for (PolicyStore.Recorded r : policies.recordedHistory(id)) {
      signed.add(
          Map.of(
              "ledgerIndex",
              r.ledgerIndex(),
              "receipt",
              ReceiptsFeature.issue(receipts, snapshot, u.country(), r.change(), r.ledgerIndex())));
    }
    m.put("consents", consents);
    m.put("receipts", signed);
    var history = entries(id, new Filter(null, null, null));
    m.put("accessHistory", history.getKey());
    m.put("accessHistoryTruncated", history.getValue());
    List<Map<String, Object>> signals = new ArrayList<>();
    for (PartnerData.HeldSignal s : partnerData.signalsOf(id, MAX_ENTRIES)) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("source", s.source().value());
      x.put(
          "label",
          Map.of(
              "source", s.source().value(),
              "category", s.category().wire(),
              "jurisdiction", s.jurisdiction().value()));
      x.put("observedAt", s.observedAt().toString());
      x.put("payload", json(s.payload()));
      if (s.restsOn() != null) {
        x.put("restsOnLedgerEntry", s.restsOn());
      }
      signals.add(x);
    }
    m.put("partnerSignals", signals);
    List<Map<String, Object>> segments = new ArrayList<>();
    for (var s : context.ads().segmentsOf(id, now)) {
      segments.add(
          Map.of(
              "segment", s.id(),
              "advertiser", s.advertiser().value(),
              "name", s.name(),
              "definition", s.definition()));
    }
    m.put("segments", segments);
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\"datapact-export-"
            + u.handle().toLowerCase(Locale.ROOT)
            + ".json\"");
    ctx.json(m);
  }
}
