package org.datapact.server.partner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.Minimisation;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.Obligation;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.User;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.CoreExchange;
import org.datapact.server.http.Exchange;
import org.datapact.server.partner.PartnerAnswers.Page;
import org.datapact.server.partner.PartnerCalls.Call;
import org.datapact.server.release.Pager;
import org.datapact.server.release.ReleasePipeline;
import org.datapact.server.release.ReleasePipeline.Decided;
import org.datapact.store.partner.PartnerData;
import org.datapact.store.user.UserDirectory;
import org.jspecify.annotations.Nullable;

/**
 * The partner API's reads: a user's profile, friends and inbox, and the users a partner may reach.
 * Each is one release through the pipeline; the reads of one user are answered on Jetty's core API
 * once their entry is durable, without holding a request thread.
 */
final class PartnerReads {
  private final PartnerCalls calls;
  private final ReleasePipeline release;
  private final UserDirectory users;
  private final PartnerData data;

  PartnerReads(ServerContext context, PartnerCalls calls) {
    this.calls = calls;
    this.release = context.release();
    this.users = new UserDirectory(context.db());
    this.data = new PartnerData(context.db());
  }

  /** What an allowed read answers once its decision is durable. */
  @FunctionalInterface
  private interface Answer {
    void write(ReleasePipeline.Receipt receipt) throws DataPactException;
  }

  /**
   * Releases through the pipeline without holding the thread; writes the answer, or the failure,
   * once durable.
   */
  private void releaseThen(
      CoreExchange x, Call call, Decided d, List<UserId> released, Answer answer)
      throws DataPactException {
    var unused =
        release
            .releaseAsync(call.asked(), d, released)
            .whenComplete(
                (receipt, e) -> {
                  if (e != null) {
                    x.fail(e);
                    return;
                  }
                  try {
                    PartnerCalls.receipt(x, receipt);
                    answer.write(receipt);
                  } catch (Exception ex) {
                    x.fail(ex);
                  }
                });
  }

  void profile(CoreExchange x) throws DataPactException {
    Call call = calls.call(x);
    UserId user = calls.user(call, x.pathParam("userId"));
    Decided d = release.decide(call.about(user, Scope.PROFILE_BASIC));
    User u =
        users.find(user).orElseThrow(() -> DataPactException.notFound("the user no longer exists"));
    releaseThen(
        x,
        call,
        d,
        List.of(),
        r ->
            calls.json(
                x,
                200,
                new PartnerAnswers.Profile(
                    calls.idOf(call, user), u.displayName(), u.country().value())));
  }

  void friends(CoreExchange x) throws DataPactException {
    Call call = calls.call(x);
    UserId user = calls.user(call, x.pathParam("userId"));
    int limit = PartnerCalls.limit(x);
    long after = calls.userCursor(x, call);
    Decided d = release.decide(call.about(user, Scope.FRIENDS_LIST));
    // INVARIANT: a friend is listed only if the decision point allows this partner and purpose on
    // the friend too
    Pager.Page<User> page =
        d.allowed()
            ? Pager.page(
                after,
                limit,
                (from, n) -> users.friends(user, from, n),
                f -> f.id().value(),
                f ->
                    release.allows(call.about(f.id(), Scope.FRIENDS_LIST))
                        ? Pager.Verdict.KEEP
                        : Pager.Verdict.SKIP)
            : new Pager.Page<>(List.of(), 0, after, false, false);
    releaseThen(
        x,
        call,
        d,
        page.items().stream().map(User::id).toList(),
        r -> {
          List<PartnerAnswers.Friend> items = new ArrayList<>(page.items().size());
          for (User f : page.items()) {
            items.add(new PartnerAnswers.Friend(calls.idOf(call, f.id()), f.displayName()));
          }
          calls.json(
              x,
              200,
              new Page<>(
                  items, page.hasNext(after) ? calls.idOf(call, UserId.of(page.last())) : null));
        });
  }

  /**
   * @return the party whose app threads the minimisation obligation allows, or null for all threads
   */
  private static @Nullable String threadFilter(Decision d, PartyId partner) {
    // INVARIANT: without an explicit `all_threads`, only the partner's own app threads are released
    boolean all =
        d.obligation(Obligation.Minimise.class)
            .map(m -> m.minimisation() == Minimisation.ALL_THREADS)
            .orElse(false);
    return all ? null : partner.value();
  }

  void threads(CoreExchange x) throws DataPactException {
    Call call = calls.call(x);
    UserId user = calls.user(call, x.pathParam("userId"));
    int limit = PartnerCalls.limit(x);
    long after = PartnerCalls.numberCursor(x);
    Decided d = release.decide(call.about(user, Scope.INBOX_READ));
    List<PartnerData.Thread> list =
        d.allowed()
            ? data.threads(user, threadFilter(d.decision(), call.partner()), after, limit + 1)
            : List.of();
    releaseThen(
        x,
        call,
        d,
        List.of(),
        r -> {
          boolean more = list.size() > limit;
          List<PartnerAnswers.InboxThread> items = new ArrayList<>();
          for (PartnerData.Thread t : list.subList(0, Math.min(limit, list.size()))) {
            items.add(
                new PartnerAnswers.InboxThread(
                    Long.toString(t.id()), t.subject(), t.viaParty(), t.createdAt().toString()));
          }
          calls.json(x, 200, new Page<>(items, more ? items.get(items.size() - 1).id() : null));
        });
  }

  void messages(CoreExchange x) throws DataPactException {
    Call call = calls.call(x);
    UserId user = calls.user(call, x.pathParam("userId"));
    String tid = x.pathParam("threadId");
    long threadId = PartnerCalls.wholeNumber(tid, 1, Long.MAX_VALUE);
    if (threadId < 0) {
      throw DataPactException.invalid(
          "a thread id is a positive number, as the threads list gives it; got `"
              + PartnerCalls.abbreviate(tid)
              + "`");
    }
    int limit = PartnerCalls.limit(x);
    Decided d = release.decide(call.about(user, Scope.INBOX_READ));
    List<PartnerData.Message> list = List.of();
    if (d.allowed()) {
      String via = threadFilter(d.decision(), call.partner());
      Optional<PartnerData.Thread> t = data.threadOf(user, threadId);
      if (t.isEmpty() || (via != null && !via.equals(t.get().viaParty()))) {
        // not this user's thread, or one the agreement does not release: indistinguishable on
        // purpose
        throw DataPactException.notFound(
            "no thread `" + threadId + "` that this agreement releases for this user");
      }
      list = data.messages(threadId, limit);
    }
    Set<UserId> senders = new LinkedHashSet<>();
    list.forEach(
        m -> {
          if (m.senderId() != user.value()) {
            senders.add(UserId.of(m.senderId()));
          }
        });
    List<PartnerData.Message> released = list;
    releaseThen(
        x,
        call,
        d,
        List.copyOf(senders),
        r -> {
          List<PartnerAnswers.Message> items = new ArrayList<>();
          for (PartnerData.Message m : released) {
            items.add(
                new PartnerAnswers.Message(
                    Long.toString(m.id()),
                    calls.idOf(call, UserId.of(m.senderId())),
                    m.sentAt().toString(),
                    m.body(),
                    m.viaParty()));
          }
          calls.json(x, 200, new Page<>(items, null));
        });
  }

  /**
   * The users who consented to the partner and whom the decision point allows it to reach. Every
   * user a page releases takes a token from the partner's bucket; when it runs dry the page ends
   * there, and a page that could release nobody is a recorded rate-limit refusal.
   */
  void connections(Exchange x) throws DataPactException {
    Call call = calls.call(x);
    ReleasePipeline.requireScope(call.asked(), Scope.PROFILE_BASIC);
    int limit = PartnerCalls.limit(x);
    long after = calls.userCursor(x, call);
    RateState rate = new RateState();
    Pager.Page<Long> page =
        Pager.page(
            after,
            limit,
            (from, n) -> data.consentingUsers(call.partner(), from, n),
            id -> id,
            id -> {
              UserId u = UserId.of(id);
              if (!release.allows(call.about(u, Scope.PROFILE_BASIC))) {
                return Pager.Verdict.SKIP;
              }
              Obligation.RateLimit l = rate.limitOf(release, call.about(u, Scope.PROFILE_BASIC));
              if (l != null) {
                rate.retryAfter = release.take(call.partner(), l);
                if (rate.retryAfter > 0) {
                  rate.stoppedAt = id;
                  return Pager.Verdict.STOP;
                }
              }
              return Pager.Verdict.KEEP;
            });
    List<UserId> shown = page.items().stream().map(UserId::of).toList();
    Obligation.RateLimit l = rate.limit;
    if (page.stopped() && shown.isEmpty() && l != null) {
      // nobody could be released: the decision point's own rate-limit denial, recorded, is the
      // answer
      DecisionRequest at = call.about(UserId.of(rate.stoppedAt), Scope.PROFILE_BASIC);
      release.release(call.asked(), release.rateLimited(at, l, rate.retryAfter), List.of());
      throw new IllegalStateException(
          "a rate-limit denial was released"); // INVARIANT: a denial throws its Refusal
    }
    ReleasePipeline.Receipt receipt =
        release.listing(
            call.asked(),
            call.partner(),
            Scope.PROFILE_BASIC,
            call.purpose(),
            call.at(),
            shown,
            page.skipped());
    PartnerCalls.receipt(x, receipt);
    List<PartnerAnswers.Connection> items = new ArrayList<>(shown.size());
    for (UserId u : shown) {
      items.add(new PartnerAnswers.Connection(calls.idOf(call, u)));
    }
    calls.json(
        x,
        200,
        new Page<>(items, page.hasNext(after) ? calls.idOf(call, UserId.of(page.last())) : null));
  }

  /**
   * The page's rate limit, read once from the first user allowed (it is the permission's, the same
   * for all).
   */
  private static final class RateState {
    private boolean read;
    Obligation.@Nullable RateLimit limit;
    long retryAfter;
    long stoppedAt;

    Obligation.@Nullable RateLimit limitOf(ReleasePipeline release, DecisionRequest first) {
      if (!read) {
        limit = release.decideUnlimited(first).obligation(Obligation.RateLimit.class).orElse(null);
        read = true;
      }
      return limit;
    }
  }
}
