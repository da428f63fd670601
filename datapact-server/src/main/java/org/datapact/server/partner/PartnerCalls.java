package org.datapact.server.partner;

import io.javalin.http.ContentType;
import java.time.Instant;
import java.util.regex.Pattern;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.Exchange;
import org.datapact.server.http.PathParams;
import org.datapact.server.release.ReleasePipeline;
import org.datapact.server.session.Caller;
import org.jspecify.annotations.Nullable;

/**
 * What every partner call shares: who calls, for what purpose, when (DataPact's clock), its
 * parameters parsed into clear errors, its users resolved from partner-scoped ids, and its answer
 * written as JSON bytes with the receipt headers.
 */
final class PartnerCalls {
  /** Page size when none is asked for. */
  static final int DEFAULT_PAGE = 25;

  /** Largest page. */
  static final int MAX_PAGE = 100;

  private static final Pattern PARTNER_ID = Pattern.compile("u_[A-Za-z0-9_-]{22}");

  private final ServerContext context;

  PartnerCalls(ServerContext context) {
    this.context = context;
  }

  /** One partner call: who, for what purpose, when, through which endpoint. */
  record Call(
      Caller caller, PartyId partner, Purpose purpose, Instant at, ReleasePipeline.Asked asked) {
    /**
     * @return the call's request about {@code subject}'s data, which carries the platform's own
     *     labels
     */
    DecisionRequest about(UserId subject, Scope scope) {
      return new DecisionRequest(partner, subject, LabelSet.EMPTY, scope, purpose, at, null, 0);
    }

    /**
     * @return the call's request about a signal with {@code labels}
     */
    DecisionRequest about(UserId subject, Scope scope, LabelSet labels) {
      return new DecisionRequest(partner, subject, labels, scope, purpose, at, null, 0);
    }
  }

  Call call(Exchange x) throws DataPactException {
    Caller caller =
        x.caller()
            .orElseThrow(
                () ->
                    new DataPactException(
                        ErrorKind.UNAUTHENTICATED, "sign in to use `" + x.path() + "`"));
    PartyId partner = caller.requireParty();
    Purpose purpose = PathParams.purpose(x.queryParam("purpose"), "recommendations");
    return new Call(
        caller,
        partner,
        purpose,
        context.release().now(),
        new ReleasePipeline.Asked(x.method() + " " + x.route(), caller.scopes()));
  }

  /**
   * @return the user behind a partner-scoped id
   */
  UserId user(Call call, @Nullable String id) throws DataPactException {
    if (id == null || !PARTNER_ID.matcher(id).matches()) {
      throw DataPactException.invalid(
          "a user id is `u_` and 22 base64url characters, as /api/v1/connections lists them; got `"
              + abbreviate(id)
              + "`");
    }
    UserId user =
        context
            .partnerIds()
            .resolve(call.partner(), id)
            .orElseThrow(
                () -> DataPactException.notFound("no user `" + id + "` for " + call.partner()));
    if (context
        .release()
        .snapshot()
        .countryOf(user)
        .isEmpty()) { // every user is a subject of the snapshot
      throw DataPactException.notFound("no user `" + id + "` for " + call.partner());
    }
    UserId bound = call.caller().boundUser();
    if (bound != null && !bound.equals(user)) {
      // a token from the authorization dialog reads the user who granted it, no one else
      throw DataPactException.notFound("no user `" + id + "` for this user's token");
    }
    return user;
  }

  /**
   * @return the partner-scoped id of {@code user}
   */
  String idOf(Call call, UserId user) {
    return context.partnerIds().of(call.partner(), user);
  }

  static String abbreviate(@Nullable String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  static int limit(Exchange x) throws DataPactException {
    String v = x.queryParam("limit");
    if (v == null) {
      return DEFAULT_PAGE;
    }
    long n = wholeNumber(v, 1, MAX_PAGE);
    if (n < 0) {
      throw DataPactException.invalid(
          "`limit` must be a whole number from 1 to " + MAX_PAGE + ", got `" + abbreviate(v) + "`");
    }
    return (int) n;
  }

  /**
   * @return {@code v} as a whole number from {@code min} (at least 0) to {@code max}, or -1 when it
   *     is not one
   */
  static long wholeNumber(@Nullable String v, long min, long max) {
    if (v == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(v);
      return n >= min && n <= max ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * @return the user id a cursor (a partner-scoped id from a previous page) stands for, or 0
   */
  long userCursor(Exchange x, Call call) throws DataPactException {
    String c = x.queryParam("cursor");
    if (c == null) {
      return 0;
    }
    if (!PARTNER_ID.matcher(c).matches()) {
      throw DataPactException.invalid("`cursor` must be the `next` value of a previous page");
    }
    return context
        .partnerIds()
        .resolve(call.partner(), c)
        .map(UserId::value)
        .orElseThrow(
            () ->
                DataPactException.invalid("`cursor` must be the `next` value of a previous page"));
  }

  /**
   * @return the numeric cursor of a list keyed by number (threads), or 0
   */
  static long numberCursor(Exchange x) throws DataPactException {
    String c = x.queryParam("cursor");
    if (c == null) {
      return 0;
    }
    long v = wholeNumber(c, 0, Long.MAX_VALUE);
    if (v < 0) {
      throw DataPactException.invalid("`cursor` must be the `next` value of a previous page");
    }
    return v;
  }

  /** Sets the receipt headers a partner keeps. */
  static void receipt(Exchange x, ReleasePipeline.Receipt receipt) {
    receipt.headers().forEach(x::header);
  }

  /**
   * Writes a JSON answer as bytes: the mapper's serialisers are cached per type, and going through
   * a string or a map first cost a partner call a fifth of its allocation (docs/benchmarks.md).
   */
  void json(Exchange x, int status, Object answer) {
    try {
      x.respond(
          status,
          ContentType.APPLICATION_JSON.getMimeType(),
          context.mapper().writeValueAsBytes(answer));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e); // INVARIANT: records of strings and lists serialise
    }
  }
}
