package org.datapact.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.party.ClientCredential;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.privacy.PrivacyFeature;
import org.datapact.store.party.PartyRepository;
import org.jspecify.annotations.Nullable;

/**
 * The partner-app authorization dialog — what the seed's users saw when an app asked for their
 * friends, made honest: {@code GET /oauth/authorize} (RFC 6749 §4.1, PKCE S256 required, RFC 7636)
 * checks the client, its redirect URI and what it asks for against what its agreement in force
 * permits, then shows the signed-in user, in plain language, each item for the purpose, under the
 * agreement version, with a choice per item. What the user grants becomes their consent to the
 * partner for that purpose (ledgered before it counts, with a receipt) and a one-time code; the
 * partner exchanges it at {@code /oauth/token} for a token bound to the user and limited to the
 * items granted. Revoking the consent in the privacy center denies that token's next call.
 */
public final class AuthorizeFeature implements Feature {
  /** What each scope means, in the dialog's words. */
  static final Map<Scope, String> PLAIN =
      Map.of(
          Scope.PROFILE_BASIC, "your name, handle and country",
          Scope.FRIENDS_LIST, "your friends list",
          Scope.INBOX_READ, "your private messages in the threads sent through the app",
          Scope.MESSAGES_SEND, "send recommendations to your friends in your name",
          Scope.ACTIVITY_WRITE, "add what you watch to what the platform knows about you",
          Scope.DATA_USE, "use your data");

  private final ServerContext context;
  private final Authorizations codes;
  private final PartyRepository parties;

  /**
   * @param codes where the codes wait for their exchange (shared with the token endpoint)
   */
  public AuthorizeFeature(ServerContext context, Authorizations codes) {
    this.context = context;
    this.codes = codes;
    this.parties = new PartyRepository(context.db());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/oauth/authorize", this::authorize, Role.PUBLIC),
        Route.get("/api/v1/oauth/request", this::describe, Role.USER),
        Route.post("/api/v1/oauth/authorize", this::decide, Role.USER));
  }

  /** An authorization request, checked. */
  record Checked(
      String clientId,
      Party party,
      String redirectUri,
      SortedSet<String> scopes,
      Purpose purpose,
      String challenge,
      String agreement) {}

  /**
   * @throws DataPactException invalid input naming the parameter; never a redirect to an unchecked
   *     URI
   */
  private Checked check(
      @Nullable String responseType,
      @Nullable String clientId,
      @Nullable String redirectUri,
      @Nullable String scope,
      @Nullable String purpose,
      @Nullable String challenge,
      @Nullable String method)
      throws DataPactException {
    if (!"code".equals(responseType)) {
      throw DataPactException.invalid("`response_type` must be `code`");
    }
    if (clientId == null) {
      throw DataPactException.invalid("`client_id` is required");
    }
    ClientCredential client = parties.client(clientId).orElse(null);
    Party party = client == null ? null : parties.find(client.party()).orElse(null);
    if (party == null || party.kind() != PartyKind.PARTNER) {
      throw DataPactException.invalid("`client_id`: no partner app `" + clientId + "`");
    }
    if (redirectUri == null || !allowed(redirectUri, parties.redirectUris(clientId))) {
      throw DataPactException.invalid(
          "`redirect_uri`: `" + redirectUri + "` is not registered for `" + clientId + "`");
    }
    if (challenge == null || !challenge.matches("[A-Za-z0-9_-]{43}") || !"S256".equals(method)) {
      throw DataPactException.invalid(
          "`code_challenge`: PKCE is required, `code_challenge_method` S256 (RFC 7636)");
    }
    Purpose p;
    try {
      p = Purpose.fromWire(purpose == null ? "" : purpose);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid("`purpose`: " + e.getMessage());
    }
    Instant now = context.clock().instant();
    SortedSet<String> permitted = context.decisions().snapshot().scopesOf(party.id(), now);
    SortedSet<String> asked = new TreeSet<>();
    for (String s : (scope == null ? "" : scope).trim().split(" +")) {
      if (s.isEmpty()) {
        continue;
      }
      try {
        Scope.fromWire(s);
      } catch (IllegalArgumentException e) {
        throw DataPactException.invalid("`scope`: `" + s + "` is no scope");
      }
      if (!permitted.contains(s)) {
        throw DataPactException.invalid(
            "`scope`: `" + s + "` is not permitted to " + party.id() + " by an agreement in force");
      }
      asked.add(s);
    }
    if (asked.isEmpty()) {
      throw DataPactException.invalid("`scope`: ask for at least one scope");
    }
    String agreement =
        context.decisions().snapshot().agreements().stream()
            .filter(r -> r.terms().counterparty().equals(party.id()) && r.activeAt(now))
            .map(r -> r.terms().ref())
            .findFirst()
            .orElseThrow(
                () -> DataPactException.invalid("`client_id`: no agreement in force for it"));
    return new Checked(clientId, party, redirectUri, asked, p, challenge, agreement);
  }

  /**
   * @return whether {@code uri} is registered, or a loopback URI registered with another port (RFC
   *     8252 §7.3)
   */
  static boolean allowed(String uri, List<String> registered) {
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      return false;
    }
    if (u.getFragment() != null || u.getUserInfo() != null) {
      return false;
    }
    for (String r : registered) {
      if (r.equals(uri)) {
        return true;
      }
      try {
        URI reg = new URI(r);
        if ("http".equals(u.getScheme())
            && "http".equals(reg.getScheme())
            && "127.0.0.1".equals(u.getHost())
            && "127.0.0.1".equals(reg.getHost())
            && java.util.Objects.equals(u.getPath(), reg.getPath())
            && u.getQuery() == null) {
          return true;
        }
      } catch (URISyntaxException e) {
        // an unreadable registration admits nothing
      }
    }
    return false;
  }

  private Checked check(Context ctx) throws DataPactException {
    return check(
        ctx.queryParam("response_type"),
        ctx.queryParam("client_id"),
        ctx.queryParam("redirect_uri"),
        ctx.queryParam("scope"),
        ctx.queryParam("purpose"),
        ctx.queryParam("code_challenge"),
        ctx.queryParam("code_challenge_method"));
  }

  private void authorize(Context ctx) throws DataPactException {
    check(ctx); // refused here, before any redirect: an unchecked URI is never followed
    String query = ctx.queryString();
    ctx.redirect("/#/authorize?" + (query == null ? "" : query));
  }

  /** One item of the dialog. */
  record Item(String scope, String meaning) {}

  /** What the dialog shows. */
  record Dialog(
      String partner,
      String partnerName,
      String agreement,
      String purpose,
      List<Item> items,
      String returnsTo) {}

  private void describe(Context ctx) throws DataPactException {
    AccessControl.requireCaller(ctx).requireUser();
    Checked c = check(ctx);
    List<Item> items = new ArrayList<>();
    for (String s : c.scopes()) {
      items.add(new Item(s, PLAIN.getOrDefault(Scope.fromWire(s), s)));
    }
    ctx.json(
        new Dialog(
            c.party().id().value(),
            c.party().displayName(),
            c.agreement(),
            c.purpose().wire(),
            items,
            URI.create(c.redirectUri()).getHost()));
  }

  private void decide(Context ctx) throws DataPactException {
    UserId user = AccessControl.requireCaller(ctx).requireUser();
    JsonNode b = Json.body(ctx, context.mapper(), JsonNode.class);
    Checked c =
        check(
            "code",
            text(b, "client_id"),
            text(b, "redirect_uri"),
            text(b, "scope"),
            text(b, "purpose"),
            text(b, "code_challenge"),
            text(b, "code_challenge_method"));
    String state = text(b, "state");
    SortedSet<String> granted = new TreeSet<>();
    JsonNode g = b.get("granted");
    if (g == null || !g.isArray()) {
      throw DataPactException.invalid("`granted`: the list of the scopes the user allows");
    }
    for (JsonNode s : g) {
      if (!s.isTextual() || !c.scopes().contains(s.asText())) {
        throw DataPactException.invalid("`granted`: `" + s.asText() + "` was not asked for");
      }
      granted.add(s.asText());
    }
    Map<String, String> back = new LinkedHashMap<>();
    Long receipt = null;
    if (granted.isEmpty()) {
      back.put("error", "access_denied");
    } else {
      // the consent first, ledgered and applied, then the code: nothing is released before
      receipt =
          PrivacyFeature.record(
              context,
              ConsentChange.grant(
                  user,
                  c.party().id(),
                  ConsentTopic.of(c.purpose()),
                  context.clock().instant(),
                  null,
                  ConsentBasis.EXPLICIT,
                  "authorization-dialog"));
      try {
        back.put(
            "code",
            codes.issue(
                c.clientId(),
                c.party().id(),
                user,
                granted,
                c.purpose(),
                c.redirectUri(),
                c.challenge()));
      } catch (IllegalStateException e) {
        throw new DataPactException(ErrorKind.UNAVAILABLE, "too many sign-ins waiting; retry");
      }
    }
    if (state != null) {
      back.put("state", state);
    }
    StringBuilder to = new StringBuilder(c.redirectUri()).append('?');
    back.forEach(
        (k, v) ->
            to.append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                .append('&'));
    to.setLength(to.length() - 1);
    ctx.json(
        new Decided(
            to.toString(), granted, receipt == null ? null : "/api/v1/me/receipts/" + receipt));
  }

  /** The user's choice: where to send the browser, what was granted, and its receipt. */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record Decided(String redirect, SortedSet<String> granted, @Nullable String receipt) {}

  private static @Nullable String text(JsonNode b, String field) {
    JsonNode v = b.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }
}
