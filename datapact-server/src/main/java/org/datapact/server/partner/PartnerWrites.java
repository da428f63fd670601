package org.datapact.server.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.datapact.core.DataPactException;
import org.datapact.core.decision.Obligation;
import org.datapact.core.jurisdiction.RuleSetId;
import org.datapact.core.label.Label;
import org.datapact.core.label.LabelSet;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.CoreExchange;
import org.datapact.server.http.Exchange;
import org.datapact.server.http.Json;
import org.datapact.server.partner.PartnerCalls.Call;
import org.datapact.server.release.ReleasePipeline;
import org.datapact.server.release.ReleasePipeline.Decided;
import org.datapact.store.partner.PartnerData;
import org.datapact.store.user.UserDirectory;
import org.jspecify.annotations.Nullable;

/**
 * The partner API's writes: recommendations sent through the platform's messaging (each recipient
 * part of the decision, each link checked against the agreement and rewritten to a click shim), the
 * shim itself, and activity signals pushed about a user, stored with the label DataPact gives them.
 * Each is one release through the pipeline, durable before anything is written.
 */
final class PartnerWrites {
  /** Most recipients of one recommendation. */
  static final int MAX_RECIPIENTS = 50;

  /** Longest recommendation text. */
  static final int MAX_TEXT = 1_000;

  /** A link in a recommendation's text, whatever the case of its scheme ({@code HTTPS://} too). */
  private static final Pattern LINK = Pattern.compile("(?i)https?://[^\\s<>\"']{1,1900}");

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ServerContext context;
  private final PartnerCalls calls;
  private final ReleasePipeline release;
  private final UserDirectory users;
  private final PartnerData data;
  private final Supplier<URI> base;
  private final SendWriter writer;

  PartnerWrites(ServerContext context, PartnerCalls calls, Supplier<URI> base) {
    this.context = context;
    this.calls = calls;
    this.release = context.release();
    this.users = new UserDirectory(context.db());
    this.data = new PartnerData(context.db());
    this.base = base;
    this.writer = new SendWriter(data);
  }

  /** The body of a recommendation. */
  record SendBody(@Nullable List<String> to, @Nullable String text) {}

  void send(CoreExchange x) throws DataPactException {
    Call call = calls.call(x);
    UserId sender = calls.user(call, x.pathParam("userId"));
    SendBody body = Json.parse(x.body(), x.contentType(), context.mapper(), SendBody.class);
    List<String> to = body.to();
    String text = body.text();
    if (to == null || to.isEmpty() || to.size() > MAX_RECIPIENTS) {
      throw DataPactException.invalid(
          "`to` lists 1 to "
              + MAX_RECIPIENTS
              + " recipients (partner-scoped ids of the sender's friends)");
    }
    if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
      throw DataPactException.invalid("`text` is 1 to " + MAX_TEXT + " characters");
    }
    List<UserId> recipients = new ArrayList<>();
    for (String r : new LinkedHashSet<>(to)) {
      if (r == null) {
        throw DataPactException.invalid("`to` holds partner-scoped ids, not null");
      }
      recipients.add(calls.user(call, r));
    }
    Decided d = release.decide(call.about(sender, Scope.MESSAGES_SEND));
    if (d.allowed()) {
      // INVARIANT: each recipient is part of the decision: a friend of the sender whom the decision
      // point allows this partner to reach for this purpose (their own consent). A refusal is
      // ledgered like any denial, and it never says which of the two failed, so no send probes a
      // friendship unrecorded.
      for (UserId r : recipients) {
        if (!users.areFriends(sender, r) || !release.allows(call.about(r, Scope.MESSAGES_SEND))) {
          d = d.with(ReleasePipeline.refusedRecipient(d.decision(), calls.idOf(call, r)));
          break;
        }
      }
    }
    // the links, each checked once: where it stands in the text and where it leads
    List<int[]> spans = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    if (d.allowed()) {
      // INVARIANT: every send permission carries its link domains; none means no link may be sent
      Obligation.LinkDomains domains =
          d.decision()
              .obligation(Obligation.LinkDomains.class)
              .orElse(Obligation.LinkDomains.of(Set.of()));
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        urls.add(checkedLink(m.group(), domains));
        spans.add(new int[] {m.start(), m.end()});
      }
    }
    // each recipient's copy, its links rewritten to the click shim with tokens of its own:
    // prepared now, stored only once the decision is durable
    String shim = base.get().resolve("/r/").toString();
    String subject = "A recommendation via " + call.partner().value();
    List<Copy> copies = new ArrayList<>(recipients.size());
    for (UserId r : recipients) {
      List<PartnerData.Link> links = new ArrayList<>(spans.size());
      StringBuilder rewritten = new StringBuilder(text.length() + 40 * spans.size());
      int at = 0;
      for (int k = 0; k < spans.size(); k++) {
        String token = token(call.at());
        links.add(new PartnerData.Link(token, urls.get(k)));
        rewritten.append(text, at, spans.get(k)[0]).append(shim).append(token);
        at = spans.get(k)[1];
      }
      copies.add(new Copy(r, rewritten.append(text, at, text.length()).toString(), links));
    }
    var unused =
        release
            .releaseAsync(call.asked(), d, recipients)
            .thenCompose(
                receipt -> {
                  PartnerCalls.receipt(x, receipt);
                  // the decision is durable: now the messages leave
                  List<PartnerData.Recommendation> rows = new ArrayList<>(copies.size());
                  for (Copy c : copies) {
                    rows.add(
                        new PartnerData.Recommendation(
                            call.partner(),
                            sender,
                            c.recipient(),
                            subject,
                            c.text(),
                            c.links(),
                            call.at(),
                            receipt.ledgerIndex()));
                  }
                  return writer.write(rows);
                })
            .whenComplete(
                (threads, e) -> {
                  if (e != null) {
                    x.fail(e);
                    return;
                  }
                  try {
                    List<PartnerAnswers.Sent> sent = new ArrayList<>(copies.size());
                    for (int i = 0; i < copies.size(); i++) {
                      Copy c = copies.get(i);
                      sent.add(
                          new PartnerAnswers.Sent(
                              calls.idOf(call, c.recipient()),
                              Long.toString(threads.get(i)),
                              c.links().size()));
                    }
                    calls.json(x, 201, new PartnerAnswers.Sends(sent));
                  } catch (Exception ex) {
                    x.fail(ex);
                  }
                });
  }

  /** One recipient's copy of a recommendation: its text with links rewritten, and the links. */
  private record Copy(UserId recipient, String text, List<PartnerData.Link> links) {}

  /**
   * @param domains where the agreement lets links point
   * @return the link as it will be redirected to, its scheme lowercased
   * @throws DataPactException invalid-input for a link the agreement does not name, or not a URL
   */
  private static String checkedLink(String link, Obligation.LinkDomains domains)
      throws DataPactException {
    URI u;
    try {
      u = new URI(link);
    } catch (URISyntaxException e) {
      throw DataPactException.invalid(
          "`" + PartnerCalls.abbreviate(link) + "` in `text` is not a valid URL");
    }
    String scheme = u.getScheme();
    if (scheme == null || u.getUserInfo() != null || !domains.allows(u.getHost())) {
      throw DataPactException.invalid(
          "the link `"
              + PartnerCalls.abbreviate(link)
              + "` points outside the domains this "
              + "agreement names for links ("
              + (domains.domains().isEmpty() ? "none" : String.join(", ", domains.domains()))
              + "); remove it or ask for an amendment");
    }
    return scheme.toLowerCase(Locale.ROOT) + link.substring(scheme.length());
  }

  /**
   * A click-shim token: the second it was made (5 bytes) and 88 random bits, 22 URL-safe
   * characters. The random part makes it unguessable; the time prefix makes the tokens of the same
   * minutes neighbours in the store's unique index, so that each send's link row dirties the few
   * pages of that key range instead of a random page of the whole index (fully random tokens made a
   * send with a link 40 % slower than one without: docs/benchmarks.md).
   */
  static String token(java.time.Instant at) {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    long second = at.getEpochSecond();
    for (int i = 4; i >= 0; i--) {
      b[i] = (byte) second;
      second >>>= 8;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  void click(Context ctx) throws DataPactException {
    String token = ctx.pathParam("token");
    if (!TOKEN.matcher(token).matches()) {
      throw DataPactException.notFound("no such link");
    }
    PartnerData.Click c =
        data.click(token, context.clock().instant())
            .orElseThrow(() -> DataPactException.notFound("no such link"));
    io.micrometer.core.instrument.Counter.builder("datapact.partner.clicks")
        .tag("partner", c.partner().value())
        .register(context.metrics())
        .increment();
    ctx.header("Cache-Control", "no-store");
    ctx.redirect(c.url(), io.javalin.http.HttpStatus.FOUND);
  }

  /** The body of an activity signal. */
  record ActivityBody(
      @Nullable String user,
      @Nullable String category,
      @Nullable JsonNode signal,
      @Nullable Instant at) {}

  void activity(Context ctx) throws DataPactException {
    Exchange x = Exchange.of(ctx);
    Call call = calls.call(x);
    ActivityBody body = Json.body(ctx, context.mapper(), ActivityBody.class);
    String userId = body.user();
    if (userId == null) {
      throw DataPactException.invalid(
          "`user` is required: the partner-scoped id of the user the signal is about");
    }
    UserId user = calls.user(call, userId);
    String categoryName = body.category();
    if (categoryName == null) {
      throw DataPactException.invalid("`category` is required, e.g. `video_viewing`");
    }
    DataCategory category;
    try {
      category = DataCategory.fromWire(categoryName);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
    JsonNode signal = body.signal();
    if (signal == null || !signal.isObject() || signal.size() == 0) {
      throw DataPactException.invalid(
          "`signal` is a non-empty JSON object, e.g. {\"genre\":\"documentary\"}");
    }
    String payload = signal.toString();
    if (payload.length() > 4_000) {
      throw DataPactException.invalid("`signal` is at most 4,000 characters of JSON");
    }
    // the signal carries the partner's label: where it came from, what it is, and the rule set of
    // its subject's country (EU for a German user: a label names a rule set, never a country)
    RuleSetId ruleSet =
        release
            .snapshot()
            .ruleSetOf(user)
            .orElseThrow(
                () -> DataPactException.notFound("no user `" + userId + "` for " + call.partner()));
    LabelSet labels = new LabelSet(Set.of(new Label(call.partner(), category, ruleSet)));
    Decided d = release.decide(call.about(user, Scope.ACTIVITY_WRITE, labels));
    ReleasePipeline.Receipt receipt = release.release(call.asked(), d, List.of());
    PartnerCalls.receipt(x, receipt);
    Instant at = body.at();
    long id =
        data.storeSignal(
            call.partner(),
            user,
            category.wire(),
            ruleSet,
            payload,
            at == null ? call.at() : at,
            receipt.ledgerIndex());
    if (category == DataCategory.VIDEO_VIEWING) {
      context.ads().signal(call.partner(), user, signal); // held, labelled, and now targetable
    }
    calls.json(x, 201, new PartnerAnswers.Created(Long.toString(id)));
  }
}
