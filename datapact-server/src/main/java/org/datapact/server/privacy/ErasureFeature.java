package org.datapact.server.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.session.Caller;
import org.datapact.store.party.PartyRepository;
import org.datapact.store.privacy.ErasureStore;

/**
 * Where an erasure stands, partner by partner: the user's own requests and notices, every request
 * for operators and the regulator (an undelivered notice past the 30-day deadline is flagged {@code
 * overdue}), a partner's webhook set by an operator (its signing secret shown once), and, in the
 * demo, each demo partner's receiver, which checks the signature and confirms.
 */
public final class ErasureFeature implements Feature {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How far a signed timestamp may be from the receiver's clock. */
  static final long TOLERANCE_SECONDS = 300;

  private final ServerContext context;
  private final ErasureStore store;
  private final PartyRepository parties;

  /**
   * @param context the server's shared parts
   */
  public ErasureFeature(ServerContext context) {
    this.context = context;
    this.store = new ErasureStore(context.db());
    this.parties = new PartyRepository(context.db());
  }

  @Override
  public List<Route> routes() {
    List<Route> r = new ArrayList<>();
    r.add(Route.get("/api/v1/me/erasure", this::mine, Role.USER));
    r.add(Route.get("/api/v1/erasures", this::all, Role.OPERATOR, Role.REGULATOR));
    r.add(Route.post("/api/v1/parties/{party}/webhook", this::setWebhook, Role.OPERATOR));
    if (context.demo().isPresent()) {
      r.add(Route.post("/demo/partners/{party}/erasure", this::demoReceiver, Role.PUBLIC));
    }
    return r;
  }

  /** A notice on the wire. */
  record NoticeAnswer(
      String erasureId,
      String partner,
      String status,
      int attempts,
      String requestedAt,
      String dueBy,
      boolean overdue,
      String deliveredAt,
      String confirmation,
      String lastError) {}

  private NoticeAnswer answer(ErasureStore.Notice n, Instant now) {
    boolean delivered = n.deliveredAt() != null;
    return new NoticeAnswer(
        n.requestId(),
        n.partner().value(),
        delivered ? "confirmed" : "pending",
        n.attempts(),
        n.requestedAt().toString(),
        n.dueBy().toString(),
        !delivered && n.dueBy().isBefore(now),
        delivered ? String.valueOf(n.deliveredAt()) : "",
        n.confirmation() == null ? "" : n.confirmation(),
        n.lastError() == null ? "" : n.lastError());
  }

  private void mine(Context ctx) throws DataPactException {
    var user = AccessControl.requireCaller(ctx).requireUser();
    Instant now = context.clock().instant();
    ctx.json(store.ofUser(user).stream().map(n -> answer(n, now)).toList());
  }

  private void all(Context ctx) throws DataPactException {
    AccessControl.requireCaller(ctx);
    Instant now = context.clock().instant();
    ctx.json(store.all().stream().map(n -> answer(n, now)).toList());
  }

  private void setWebhook(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    String raw = ctx.pathParam("party");
    Party p =
        (raw.matches("[a-z][a-z0-9-]{1,31}")
                ? parties.find(PartyId.of(raw))
                : java.util.Optional.<Party>empty())
            .filter(x -> x.kind() == PartyKind.PARTNER)
            .orElseThrow(() -> DataPactException.notFound("no partner `" + raw + "`"));
    JsonNode b = Json.body(ctx, context.mapper(), JsonNode.class);
    JsonNode u = b.get("url");
    URI url;
    try {
      url = u == null || !u.isTextual() ? null : new URI(u.asText());
    } catch (java.net.URISyntaxException e) {
      url = null;
    }
    if (url == null
        || !("https".equals(url.getScheme())
            || ("http".equals(url.getScheme()) && "127.0.0.1".equals(url.getHost())))) {
      throw DataPactException.invalid("`url`: an https URL (or http on 127.0.0.1)");
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = "whs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long index;
    synchronized (context.decisions()) {
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("party", p.id().value());
      detail.put("url", url.toString());
      index =
          context
              .audit()
              .governance(context.clock().instant(), "webhook_set", caller.actor(), detail);
      store.setWebhook(p.id(), url.toString(), secret);
    }
    ctx.header("Cache-Control", "no-store");
    ctx.json(
        new WebhookAnswer(
            p.id().value(),
            url.toString(),
            secret,
            "shown once: erasure requests are signed with it (X-DataPact-Signature)",
            index));
  }

  /** A partner's webhook as set, with its secret shown this once. */
  record WebhookAnswer(String party, String url, String secret, String note, long ledgerIndex) {}

  /** A receiver's answer to a deletion request. */
  record Confirmation(String confirmation) {}

  /** Gives every demo partner without a webhook this server's demo receiver and a secret. */
  public static void demoWebhooks(ServerContext context) {
    ErasureStore store = new ErasureStore(context.db());
    for (Party p : new PartyRepository(context.db()).all()) {
      if (p.kind() == PartyKind.PARTNER && store.webhook(p.id()).isEmpty()) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        store.setWebhook(
            p.id(),
            "demo:",
            "whs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
      }
    }
  }

  /** The demo partner's receiver: checks the signature and the timestamp, then confirms. */
  private void demoReceiver(Context ctx) throws DataPactException {
    String raw = ctx.pathParam("party");
    var hook =
        raw.matches("[a-z][a-z0-9-]{1,31}")
            ? store.webhook(PartyId.of(raw))
            : java.util.Optional.<ErasureStore.Webhook>empty();
    String ts = ctx.header("X-DataPact-Timestamp");
    String sig = ctx.header("X-DataPact-Signature");
    String body = ctx.body();
    if (hook.isEmpty() || ts == null || sig == null || !ts.matches("[0-9]{1,12}")) {
      throw new DataPactException(ErrorKind.UNAUTHENTICATED, "an unsigned or unknown request");
    }
    long age = Math.abs(context.clock().instant().getEpochSecond() - Long.parseLong(ts));
    String want = ErasureOutbox.signature(hook.get().secret(), Long.parseLong(ts), body);
    if (age > TOLERANCE_SECONDS
        || !MessageDigest.isEqual(
            want.getBytes(StandardCharsets.US_ASCII), sig.getBytes(StandardCharsets.US_ASCII))) {
      throw new DataPactException(ErrorKind.UNAUTHENTICATED, "the signature does not verify");
    }
    String confirmation;
    try {
      confirmation =
          raw
              + "-"
              + HexFormat.of()
                  .formatHex(
                      MessageDigest.getInstance("SHA-256")
                          .digest(body.getBytes(StandardCharsets.UTF_8)),
                      0,
                      6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
    ctx.json(new Confirmation(confirmation));
  }
}
