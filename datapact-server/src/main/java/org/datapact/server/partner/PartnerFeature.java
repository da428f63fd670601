package org.datapact.server.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.Obligation;
import org.datapact.core.decision.ReasonCode;
import org.datapact.core.label.Label;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.User;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.decisions.DecisionJson;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.CoreExchange;
import org.datapact.server.http.Exchange;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Problem;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.session.Caller;
import org.datapact.store.partner.PartnerData;
import org.datapact.store.user.UserDirectory;

/**
 * The partner API: the platform side of a data-sharing partnership. A partner app, with a
 * client-credentials token, reads a user's profile, friends and inbox and sends recommendations
 * through the platform's messaging, and pushes signals about users. Users appear only as
 * partner-scoped ids. Every call declares its {@code purpose}, goes through the decision point,
 * and its decision is durable in the ledger before any data leaves; the response names the
 * decision and its ledger index. A denial is 403 with the reasons; a rate limit 429.
 */
public final class PartnerFeature implements Feature {
  /** Page size when none is asked for. */
  static final int DEFAULT_PAGE = 25;
  /** Largest page. */
  static final int MAX_PAGE = 100;
  /** Most recipients of one recommendation. */
  static final int MAX_RECIPIENTS = 50;
  /** Longest recommendation text. */
  static final int MAX_TEXT = 1_000;

  private static final Pattern PARTNER_ID = Pattern.compile("u_[A-Za-z0-9_-]{22}");
  /** A link in a recommendation's text, whatever the case of its scheme ({@code HTTPS://} too). */
  private static final Pattern LINK = Pattern.compile("(?i)https?://[^\\s<>\"']{1,1900}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ServerContext context;
  private final UserDirectory users;
  private final PartnerData data;
  private final RateLimiter limiter = new RateLimiter();
  private final PartnerUsage usage = new PartnerUsage();
  private final java.util.function.Supplier<java.net.URI> base;

  /**
   * @param context the server's shared parts
   * @param base the server's public URL, which the click shim's links point at (configured, never
   *     taken from a request's {@code Host})
   */
  public PartnerFeature(ServerContext context, java.util.function.Supplier<java.net.URI> base) {
    this.context = context;
    this.base = base;
    this.users = new UserDirectory(context.db());
    this.data = new PartnerData(context.db());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/connections", ctx -> connections(Exchange.of(ctx)), Role.PARTNER_APP),
        // the reads answered once their entry is durable: on Jetty's core API (CoreRoutes)
        Route.coreGet("/api/v1/users/{userId}/profile", this::profile, Role.PARTNER_APP),
        Route.coreGet("/api/v1/users/{userId}/friends", this::friends, Role.PARTNER_APP),
        Route.coreGet("/api/v1/users/{userId}/inbox/threads", this::threads, Role.PARTNER_APP),
        Route.coreGet("/api/v1/users/{userId}/inbox/threads/{threadId}/messages", this::messages, Role.PARTNER_APP),
        Route.post("/api/v1/users/{userId}/messages", this::send, Role.PARTNER_APP),
        Route.post("/api/v1/activity", this::activity, Role.PARTNER_APP),
        Route.get("/r/{token}", this::click, Role.PUBLIC),
        Route.get("/api/v1/partner/usage", this::usage, Role.PARTNER, Role.PARTNER_APP));
  }

  // ------------------------------------------------------------------ the common path

  /** One partner call: who, for what purpose, when. */
  private record Call(Caller caller, PartyId partner, Purpose purpose, Instant at, String endpoint) {}

  private Call call(Exchange x) throws DataPactException {
    Caller caller = x.caller().orElseThrow(() ->
        new DataPactException(ErrorKind.UNAUTHENTICATED, "sign in to use `" + x.path() + "`"));
    String p = x.queryParam("purpose");
    if (p == null || p.isBlank()) {
      throw DataPactException.invalid("query parameter `purpose` is required: what you will use the data for, e.g. "
          + "`?purpose=recommendations`");
    }
    Purpose purpose;
    try {
      purpose = Purpose.fromWire(p);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(e.getMessage());
    }
    String endpoint = x.method() + " " + x.route();
    return new Call(caller, caller.party(), purpose, context.clock().instant(), endpoint);
  }

  /** @return the user behind a partner-scoped id in the path */
  private UserId user(Call call, String id) throws DataPactException {
    if (id == null || !PARTNER_ID.matcher(id).matches()) {
      throw DataPactException.invalid("a user id is `u_` and 22 base64url characters, as /api/v1/connections lists them; got `"
          + abbreviate(id) + "`");
    }
    UserId user = context.partnerIds().resolve(call.partner(), id)
        .orElseThrow(() -> DataPactException.notFound("no user `" + id + "` for " + call.partner()));
    if (context.decisions().snapshot().countryOf(user).isEmpty()) { // every user is a subject of the snapshot
      throw DataPactException.notFound("no user `" + id + "` for " + call.partner());
    }
    return user;
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  private String idOf(Call call, UserId user) {
    return context.partnerIds().of(call.partner(), user);
  }

  /** A decision with the request it answers, under the token bucket of its rate limit. */
  private record Decided(DecisionRequest request, Decision decision, long retryAfter) {}

  /**
   * The call's own decision, which counts against the agreement's rate limit; the checks that
   * filter a page (each friend, each connection) go through {@link #allows} and do not.
   */
  private Decided decide(Call call, Scope scope, UserId subject, LabelSet labels) {
    DecisionRequest r = new DecisionRequest(call.partner(), subject, labels, scope, call.purpose(), call.at(), null, 0);
    Decision d = context.decisions().decide(r);
    if (d.allowed()) {
      Optional<Obligation> limit = d.obligations().stream().filter(o -> o.kind().equals("rate_limit")).findFirst();
      if (limit.isPresent()) {
        RateLimiter.Take take = limiter.take(call.partner(), limit.get().value(), System.nanoTime());
        if (!take.taken()) {
          // the bucket is empty: the decision point sees the partner at its limit and denies, and that is recorded
          r = r.withRecentUses(RateLimiter.limitOf(limit.get().value()));
          return new Decided(r, context.decisions().decide(r), take.retryAfterSeconds());
        }
      }
    }
    return new Decided(r, d, 0);
  }

  /**
   * Whether the decision point allows the call on one more subject, for filtering a page: not
   * counted against the rate limit, and its denial is not an entry of its own (the page's entry
   * lists whom it released).
   */
  private boolean allows(Call call, Scope scope, UserId subject) {
    return context.decisions().allows(
        new DecisionRequest(call.partner(), subject, LabelSet.EMPTY, scope, call.purpose(), call.at(), null, 0));
  }

  /**
   * Records the decision (and the other users the answer releases) and sets the receipt headers,
   * holding the request thread until the entry is durable (for calls that write after it).
   *
   * @return the entry's ledger index when the data may be released; -1 when not, the refusal having
   *     been written as the response
   * @throws DataPactException forbidden when the token lacks the scope (nothing is recorded then)
   */
  private long audit(Exchange ctx, Call call, Decided x, List<UserId> released) throws DataPactException {
    requireScope(call, x);
    String decisionId = org.datapact.server.http.Ids.uuid();
    long index;
    try {
      // INVARIANT: audit before release — durable in the ledger before anything is answered
      index = context.audit().decision(decisionId, x.request(), x.decision(), countryOf(x), releasedBy(x, released),
          call.endpoint());
    } catch (DataPactException e) {
      ctx.header("Retry-After", "1");
      throw e;
    }
    return receipt(ctx, call, x, decisionId, index);
  }

  /** What an allowed read answers once its decision is durable. */
  @FunctionalInterface
  private interface Answer {
    void write() throws DataPactException;
  }

  /**
   * Records the decision like {@link #audit} without holding the request thread: the response is
   * written once the entry is durable, by the ledger's responder, as {@code answer} or as the
   * refusal. A blocked request thread cost two context switches per call (docs/benchmarks.md).
   *
   * @throws DataPactException forbidden when the token lacks the scope (nothing is recorded then)
   */
  private void auditThen(CoreExchange ctx, Call call, Decided x, List<UserId> released, Answer answer) throws DataPactException {
    requireScope(call, x);
    String decisionId = org.datapact.server.http.Ids.uuid();
    // INVARIANT: audit before release — the answer is written only after the entry is durable
    CompletableFuture<Long> durable = context.audit().decisionAsync(decisionId, x.request(), x.decision(), countryOf(x),
        releasedBy(x, released), call.endpoint());
    durable.whenComplete((index, e) -> {
      if (e != null) {
        ctx.header("Retry-After", "1");
        ctx.fail(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        return;
      }
      try {
        if (receipt(ctx, call, x, decisionId, index) >= 0) {
          answer.write();
        }
      } catch (Exception ex) {
        ctx.fail(ex);
      }
    });
  }

  /** A stale token, one whose scopes no longer include what is released: nothing leaves on it. */
  private static void requireScope(Call call, Scope scope) throws DataPactException {
    if (!call.caller().scopes().contains(scope.wire())) {
      throw new DataPactException(ErrorKind.FORBIDDEN, "your access token lacks the scope `" + scope.wire()
          + "`; request a new token at /oauth/token (its scopes follow your active agreements)");
    }
  }

  /** Checks the token before anything is recorded for an allowed decision (a denial needs no scope). */
  private static void requireScope(Call call, Decided x) throws DataPactException {
    if (x.decision().allowed()) {
      requireScope(call, x.request().scope());
    }
  }

  private CountryCode countryOf(Decided x) {
    UserId subject = x.request().subject();
    return subject == null ? null : context.decisions().snapshot().countryOf(subject).orElse(null);
  }

  private static List<UserId> releasedBy(Decided x, List<UserId> released) {
    return x.decision().allowed() ? released : List.of();
  }

  /**
   * Sets the receipt headers of a durable decision and counts the call; writes the refusal when it
   * denies.
   *
   * @return the ledger index when the data may be released; -1 after writing the refusal
   */
  private long receipt(Exchange ctx, Call call, Decided x, String decisionId, long index) {
    receiptHeaders(ctx, call, decisionId, index, x.decision().effect().wire());
    if (!x.decision().allowed()) {
      refuse(ctx, call, x, decisionId, index);
      return -1;
    }
    return index;
  }

  /** The headers a partner keeps as its receipt of a durable entry, and the call counted by effect. */
  private void receiptHeaders(Exchange ctx, Call call, String entryId, long index, String effect) {
    ctx.header("X-DataPact-Decision-Id", entryId);
    ctx.header("X-DataPact-Ledger-Index", Long.toString(index));
    usage.count(call.partner(), call.endpoint(), effect);
  }

  private void refuse(Exchange ctx, Call call, Decided x, String decisionId, long index) {
    Decision d = x.decision();
    List<String> reasons = d.reasons().stream().map(r -> r.code().wire() + ": " + r.detail()).toList();
    usage.deny(call.partner(), new PartnerUsage.Denial(call.at().toString(), call.endpoint(), x.request().scope().wire(),
        call.purpose().wire(), reasons, decisionId, index));
    boolean limited = d.hasReason(ReasonCode.RATE_LIMITED);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", Problem.TYPE_PREFIX + (limited ? "rate-limited" : "denied"));
    p.put("title", limited ? "Too many requests" : "Denied by the decision point");
    p.put("status", limited ? 429 : 403);
    p.put("detail", (limited ? "the agreement's rate limit is reached; retry after " + x.retryAfter() + " s"
        : "the decision point denied `" + x.request().scope().wire() + "` for `" + call.purpose().wire() + "`")
        + "; this decision is ledger entry " + index);
    p.put("instance", ctx.path());
    p.put("decision", DecisionJson.of(decisionId, d));
    if (limited) {
      ctx.header("Retry-After", Long.toString(x.retryAfter()));
    }
    try {
      ctx.respond(limited ? 429 : 403, Problem.MEDIA_TYPE, context.mapper().writeValueAsBytes(p));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e); // INVARIANT: maps of strings serialise
    }
  }

  private static int limit(Exchange ctx) throws DataPactException {
    String v = ctx.queryParam("limit");
    if (v == null) {
      return DEFAULT_PAGE;
    }
    long n = wholeNumber(v, 1, MAX_PAGE);
    if (n < 0) {
      throw DataPactException.invalid("`limit` must be a whole number from 1 to " + MAX_PAGE + ", got `" + abbreviate(v) + "`");
    }
    return (int) n;
  }

  /** @return {@code v} as a whole number from {@code min} (at least 0) to {@code max}, or -1 when it is not one */
  private static long wholeNumber(String v, long min, long max) {
    try {
      long n = Long.parseLong(v);
      return n >= min && n <= max ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** @return the user id a cursor (a partner-scoped id from a previous page) stands for, or 0 */
  private long cursor(Exchange ctx, Call call) throws DataPactException {
    String c = ctx.queryParam("cursor");
    if (c == null) {
      return 0;
    }
    if (!PARTNER_ID.matcher(c).matches()) {
      throw DataPactException.invalid("`cursor` must be the `next` value of a previous page");
    }
    return context.partnerIds().resolve(call.partner(), c).map(UserId::value)
        .orElseThrow(() -> DataPactException.invalid("`cursor` must be the `next` value of a previous page"));
  }

  /** One page of a list answer: the items and the cursor of the next page, null on the last. */
  record Page<T>(List<T> data, String next) {}

  /** A friend as a partner sees it. */
  record Friend(String id, String displayName) {}

  /**
   * Writes a JSON answer as bytes: the mapper's serialisers are cached per type, and going
   * through a string or a map first cost a partner call a fifth of its allocation
   * (docs/benchmarks.md).
   */
  private void json(Exchange ctx, Object answer) {
    json(ctx, 200, answer);
  }

  private void json(Exchange ctx, int status, Object answer) {
    try {
      ctx.respond(status, ContentType.APPLICATION_JSON.getMimeType(), context.mapper().writeValueAsBytes(answer));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e); // INVARIANT: records of strings and lists serialise
    }
  }

  // ------------------------------------------------------------------ reads

  private void profile(CoreExchange ctx) throws DataPactException {
    Call call = call(ctx);
    UserId user = user(call, ctx.pathParam("userId"));
    Decided x = decide(call, Scope.PROFILE_BASIC, user, LabelSet.EMPTY);
    User u = users.find(user).orElseThrow(() -> DataPactException.notFound("the user no longer exists"));
    auditThen(ctx, call, x, List.of(), () -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", idOf(call, user));
      m.put("displayName", u.displayName());
      m.put("country", u.country().value());
      json(ctx, m);
    });
  }

  private void friends(CoreExchange ctx) throws DataPactException {
    Call call = call(ctx);
    UserId user = user(call, ctx.pathParam("userId"));
    int limit = limit(ctx);
    long after = cursor(ctx, call);
    Decided x = decide(call, Scope.FRIENDS_LIST, user, LabelSet.EMPTY);
    List<User> shown = new ArrayList<>();
    String next = null;
    if (x.decision().allowed()) {
      // INVARIANT: a friend is listed only if the decision point allows this partner and purpose on the friend too
      long scanned = after;
      boolean more = true;
      for (int round = 0; round < 8 && shown.size() < limit && more; round++) {
        List<User> candidates = users.friends(user, scanned, limit * 2);
        more = candidates.size() == limit * 2;
        for (User f : candidates) {
          scanned = f.id().value();
          if (allows(call, Scope.FRIENDS_LIST, f.id())) {
            shown.add(f);
            if (shown.size() == limit) {
              more = more || candidates.indexOf(f) < candidates.size() - 1;
              break;
            }
          }
        }
      }
      next = more ? idOf(call, UserId.of(scanned)) : null;
    }
    String nextPage = next;
    auditThen(ctx, call, x, shown.stream().map(User::id).toList(), () -> {
      List<Friend> items = new ArrayList<>(shown.size());
      for (User f : shown) {
        items.add(new Friend(idOf(call, f.id()), f.displayName()));
      }
      json(ctx, new Page<>(items, nextPage));
    });
  }

  /** @return the party whose app threads the minimisation obligation allows, or null for all threads */
  private static String threadFilter(Decision d, PartyId partner) {
    // INVARIANT: without an explicit `all_threads`, only the partner's own app threads are released
    boolean all = d.obligations().stream().anyMatch(o -> o.kind().equals("minimise") && o.value().equals("all_threads"));
    return all ? null : partner.value();
  }

  private void threads(CoreExchange ctx) throws DataPactException {
    Call call = call(ctx);
    UserId user = user(call, ctx.pathParam("userId"));
    int limit = limit(ctx);
    long after = longCursor(ctx);
    Decided x = decide(call, Scope.INBOX_READ, user, LabelSet.EMPTY);
    List<PartnerData.Thread> list = x.decision().allowed()
        ? data.threads(user, threadFilter(x.decision(), call.partner()), after, limit + 1) : List.of();
    auditThen(ctx, call, x, List.of(), () -> {
      boolean more = list.size() > limit;
      List<Map<String, Object>> items = new ArrayList<>();
      for (PartnerData.Thread t : list.subList(0, Math.min(limit, list.size()))) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Long.toString(t.id()));
        m.put("subject", t.subject());
        m.put("via", t.viaParty());
        m.put("createdAt", t.createdAt().toString());
        items.add(m);
      }
      json(ctx, new Page<>(items, more ? items.get(items.size() - 1).get("id").toString() : null));
    });
  }

  private static long longCursor(Exchange ctx) throws DataPactException {
    String c = ctx.queryParam("cursor");
    if (c == null) {
      return 0;
    }
    long v = wholeNumber(c, 0, Long.MAX_VALUE);
    if (v < 0) {
      throw DataPactException.invalid("`cursor` must be the `next` value of a previous page");
    }
    return v;
  }

  private void messages(CoreExchange ctx) throws DataPactException {
    Call call = call(ctx);
    UserId user = user(call, ctx.pathParam("userId"));
    String tid = ctx.pathParam("threadId");
    long threadId = wholeNumber(tid, 1, Long.MAX_VALUE);
    if (threadId < 0) {
      throw DataPactException.invalid("a thread id is a positive number, as the threads list gives it; got `" + abbreviate(tid) + "`");
    }
    int limit = limit(ctx);
    Decided x = decide(call, Scope.INBOX_READ, user, LabelSet.EMPTY);
    List<PartnerData.Message> list = List.of();
    if (x.decision().allowed()) {
      String via = threadFilter(x.decision(), call.partner());
      Optional<PartnerData.Thread> t = data.threadOf(user, threadId);
      if (t.isEmpty() || (via != null && !via.equals(t.get().viaParty()))) {
        // not this user's thread, or one the agreement does not release: indistinguishable on purpose
        throw DataPactException.notFound("no thread `" + threadId + "` that this agreement releases for this user");
      }
      list = data.messages(threadId, limit);
    }
    Set<UserId> senders = new LinkedHashSet<>();
    list.forEach(m -> {
      if (m.senderId() != user.value()) {
        senders.add(UserId.of(m.senderId()));
      }
    });
    List<PartnerData.Message> released = list;
    auditThen(ctx, call, x, List.copyOf(senders), () -> {
      List<Map<String, Object>> items = new ArrayList<>();
      for (PartnerData.Message m : released) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", Long.toString(m.id()));
        o.put("from", idOf(call, UserId.of(m.senderId())));
        o.put("sentAt", m.sentAt().toString());
        o.put("body", m.body());
        o.put("via", m.viaParty());
        items.add(o);
      }
      json(ctx, new Page<>(items, null));
    });
  }

  private void connections(Exchange ctx) throws DataPactException {
    Call call = call(ctx);
    requireScope(call, Scope.PROFILE_BASIC);
    int limit = limit(ctx);
    long after = cursor(ctx, call);
    List<UserId> shown = new ArrayList<>();
    int denied = 0;
    long scanned = after;
    boolean more = true;
    Decided limited = null;
    // the rate limit is the permission's: the same for every user of the page, read from the first allowed
    Optional<Obligation> rate = null;
    // INVARIANT: every user released on a page takes a token from the partner's bucket; when it runs
    // dry the page ends there, and a page that could release nobody is a recorded rate-limit denial
    pages:
    for (int round = 0; round < 8 && shown.size() < limit && more; round++) {
      List<Long> candidates = data.consentingUsers(call.partner(), scanned, limit * 2);
      more = candidates.size() == limit * 2;
      for (int i = 0; i < candidates.size(); i++) {
        UserId u = UserId.of(candidates.get(i));
        if (!allows(call, Scope.PROFILE_BASIC, u)) {
          scanned = u.value();
          denied++;
          continue;
        }
        if (rate == null) {
          rate = context.decisions().decide(profileOf(call, u)).obligations().stream()
              .filter(o -> o.kind().equals("rate_limit")).findFirst();
        }
        if (rate.isPresent()) {
          RateLimiter.Take take = limiter.take(call.partner(), rate.get().value(), System.nanoTime());
          if (!take.taken()) {
            if (shown.isEmpty()) {
              DecisionRequest at = profileOf(call, u).withRecentUses(RateLimiter.limitOf(rate.get().value()));
              limited = new Decided(at, context.decisions().decide(at), take.retryAfterSeconds());
            }
            more = true; // the page ends here; the next one starts after the last user released
            break pages;
          }
        }
        scanned = u.value();
        shown.add(u);
        if (shown.size() == limit) {
          more = more || i < candidates.size() - 1;
          break;
        }
      }
    }
    if (limited != null) {
      audit(ctx, call, limited, List.of()); // writes the 429 refusal, ledgered
      return;
    }
    String id = org.datapact.server.http.Ids.uuid();
    long index = context.audit().listing(id, call.partner(), Scope.PROFILE_BASIC, call.purpose(), call.at(),
        call.endpoint(), shown, denied);
    receiptHeaders(ctx, call, id, index, "allow");
    List<Map<String, Object>> items = new ArrayList<>();
    for (UserId u : shown) {
      items.add(Map.of("id", idOf(call, u)));
    }
    json(ctx, new Page<>(items, more && scanned > after ? idOf(call, UserId.of(scanned)) : null));
  }

  /** @return the call's request for one user's basic profile (a connections page's check) */
  private static DecisionRequest profileOf(Call call, UserId u) {
    return new DecisionRequest(call.partner(), u, LabelSet.EMPTY, Scope.PROFILE_BASIC, call.purpose(), call.at(), null, 0);
  }

  // ------------------------------------------------------------------ writes

  /** The body of a recommendation. */
  record SendBody(List<String> to, String text) {}

  private void send(Context ctx) throws DataPactException {
    Exchange x = Exchange.of(ctx);
    Call call = call(x);
    UserId sender = user(call, ctx.pathParam("userId"));
    SendBody body = Json.body(ctx, context.mapper(), SendBody.class);
    if (body.to() == null || body.to().isEmpty() || body.to().size() > MAX_RECIPIENTS) {
      throw DataPactException.invalid("`to` lists 1 to " + MAX_RECIPIENTS + " recipients (partner-scoped ids of the sender's friends)");
    }
    if (body.text() == null || body.text().isBlank() || body.text().length() > MAX_TEXT) {
      throw DataPactException.invalid("`text` is 1 to " + MAX_TEXT + " characters");
    }
    List<UserId> recipients = new ArrayList<>();
    for (String to : new LinkedHashSet<>(body.to())) {
      if (to == null) {
        throw DataPactException.invalid("`to` holds partner-scoped ids, not null");
      }
      recipients.add(user(call, to));
    }
    Decided d = decide(call, Scope.MESSAGES_SEND, sender, LabelSet.EMPTY);
    if (d.decision().allowed()) {
      // INVARIANT: each recipient is part of the decision: a friend of the sender whom the decision point
      // allows this partner to reach for this purpose (their own consent). A refusal is ledgered like any
      // denial, and it never says which of the two failed, so no send probes a friendship unrecorded.
      for (UserId r : recipients) {
        if (!users.areFriends(sender, r) || !allows(call, Scope.MESSAGES_SEND, r)) {
          d = new Decided(d.request(), refusedRecipient(d.decision(), idOf(call, r)), 0);
          break;
        }
      }
    }
    List<String> urls = new ArrayList<>();
    if (d.decision().allowed()) {
      String domains = d.decision().obligations().stream().filter(o -> o.kind().equals("link_domains"))
          .map(Obligation::value).findFirst().orElse("");
      Matcher m = LINK.matcher(body.text());
      while (m.find()) {
        urls.add(checkedLink(m.group(), domains));
      }
    }
    long index = audit(x, call, d, recipients);
    if (index < 0) {
      return; // the refusal is the response
    }
    // the decision is durable: now the messages leave
    String shim = base.get().resolve("/r/").toString();
    List<Map<String, Object>> sent = new ArrayList<>();
    String subject = "A recommendation via " + call.partner().value();
    for (UserId r : recipients) {
      List<PartnerData.Link> links = new ArrayList<>();
      Matcher m = LINK.matcher(body.text());
      StringBuilder text = new StringBuilder();
      int k = 0;
      while (m.find()) {
        String token = token();
        links.add(new PartnerData.Link(token, urls.get(k++)));
        m.appendReplacement(text, Matcher.quoteReplacement(shim + token));
      }
      m.appendTail(text);
      long thread = data.sendRecommendation(call.partner(), sender, r, subject, text.toString(), links, call.at(), index);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("to", idOf(call, r));
      o.put("thread", Long.toString(thread));
      o.put("links", links.size());
      sent.add(o);
    }
    ctx.status(201).json(Map.of("sent", sent));
  }

  /** The sender's decision turned into a denial naming the recipient who may not receive the message. */
  private static Decision refusedRecipient(Decision allowed, String recipient) {
    return new Decision(org.datapact.core.decision.Effect.DENY, List.of(new org.datapact.core.decision.Reason(
        ReasonCode.RECIPIENT_REFUSED, "recipients", "recipient `" + recipient + "` cannot receive this partner's "
            + "messages: recommendations go to friends of the sender who allow this partner for this purpose")),
        List.of(), allowed.policyHash(), allowed.agreementVersion());
  }

  /**
   * @param domains the {@code link_domains} obligation: where the agreement lets links point
   * @return the link as it will be redirected to, its scheme lowercased
   * @throws DataPactException invalid-input for a link the agreement does not name, or not a URL
   */
  private static String checkedLink(String link, String domains) throws DataPactException {
    java.net.URI u;
    try {
      u = new java.net.URI(link);
    } catch (java.net.URISyntaxException e) {
      throw DataPactException.invalid("`" + abbreviate(link) + "` in `text` is not a valid URL");
    }
    String host = u.getHost();
    if (host == null || u.getUserInfo() != null
        || !Constraints.linkAllowed(domains.isEmpty() ? List.of() : List.of(domains.split(",")), host)) {
      throw DataPactException.invalid("the link `" + abbreviate(link) + "` points outside the domains this agreement names for"
          + " links (" + (domains.isEmpty() ? "none" : domains.replace(",", ", ")) + "); remove it or ask for an amendment");
    }
    return u.getScheme().toLowerCase(java.util.Locale.ROOT) + link.substring(u.getScheme().length());
  }

  private static String token() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private void click(Context ctx) throws DataPactException {
    String token = ctx.pathParam("token");
    if (!TOKEN.matcher(token).matches()) {
      throw DataPactException.notFound("no such link");
    }
    PartnerData.Click c = data.click(token, context.clock().instant())
        .orElseThrow(() -> DataPactException.notFound("no such link"));
    io.micrometer.core.instrument.Counter.builder("datapact.partner.clicks").tag("partner", c.partner().value())
        .register(context.metrics()).increment();
    ctx.header("Cache-Control", "no-store");
    ctx.redirect(c.url(), io.javalin.http.HttpStatus.FOUND);
  }

  /** The body of an activity signal. */
  record ActivityBody(String user, String category, JsonNode signal, Instant at) {}

  private void activity(Context ctx) throws DataPactException {
    Exchange ex = Exchange.of(ctx);
    Call call = call(ex);
    ActivityBody body = Json.body(ctx, context.mapper(), ActivityBody.class);
    if (body.user() == null) {
      throw DataPactException.invalid("`user` is required: the partner-scoped id of the user the signal is about");
    }
    UserId user = user(call, body.user());
    if (body.category() == null) {
      throw DataPactException.invalid("`category` is required, e.g. `video_viewing`");
    }
    DataCategory category;
    try {
      category = DataCategory.fromWire(body.category());
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(e.getMessage());
    }
    if (body.signal() == null || !body.signal().isObject() || body.signal().size() == 0) {
      throw DataPactException.invalid("`signal` is a non-empty JSON object, e.g. {\"genre\":\"documentary\"}");
    }
    String payload = body.signal().toString();
    if (payload.length() > 4_000) {
      throw DataPactException.invalid("`signal` is at most 4,000 characters of JSON");
    }
    // the signal carries the partner's label: where it came from, what it is, and the rule set of
    // its subject's country (EU for a German user: a label names a rule set, never a country)
    org.datapact.core.jurisdiction.RuleSetId ruleSet = context.decisions().snapshot().ruleSetOf(user)
        .orElseThrow(() -> DataPactException.notFound("no user `" + body.user() + "` for " + call.partner()));
    LabelSet labels = new LabelSet(Set.of(new Label(call.partner(), category, ruleSet)));
    Decided x = decide(call, Scope.ACTIVITY_WRITE, user, labels);
    long index = audit(ex, call, x, List.of());
    if (index < 0) {
      return; // the refusal is the response
    }
    long id = data.storeSignal(call.partner(), user, category.wire(), ruleSet, payload,
        body.at() == null ? call.at() : body.at(), index);
    ctx.status(201).json(Map.of("id", Long.toString(id)));
  }

  // ------------------------------------------------------------------ observed counts

  private void usage(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    PartyId partner = caller.party();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("partner", partner.value());
    m.putAll(usage.view(partner));
    Instant since = context.clock().instant().minus(java.time.Duration.ofDays(90));
    m.put("recommendations", data.counts(partner, since));
    ctx.json(m);
  }
}
