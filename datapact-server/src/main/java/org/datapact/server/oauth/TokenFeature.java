package org.datapact.server.oauth;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.party.ClientCredential;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyKind;
import org.datapact.core.security.Secret;
import org.datapact.core.security.SecretHash;
import org.datapact.core.security.SecretHasher;
import org.datapact.server.ServerContext;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.store.party.PartyRepository;

/**
 * {@code POST /oauth/token}: the OAuth2 client-credentials grant (RFC 6749 §4.4). The client
 * authenticates with HTTP Basic (§2.3.1) or with {@code client_id}/{@code client_secret} form
 * fields; the secret is checked against its PBKDF2 hash, with the work bounded by {@link
 * TokenThrottle} and the same work for an unknown id. Errors follow RFC 6749 §5.2 ({@code error},
 * {@code error_description}) inside an RFC 9457 problem document.
 */
public final class TokenFeature implements Feature {
  private final ServerContext context;
  private final PartyRepository parties;
  private final TokenThrottle throttle = new TokenThrottle();

  /**
   * @param context the server's shared parts
   */
  public TokenFeature(ServerContext context) {
    this(context, new Authorizations(context.clock()));
  }

  /**
   * @param codes the authorization dialog's codes, redeemed here ({@code authorization_code})
   */
  public TokenFeature(ServerContext context, Authorizations codes) {
    this.context = context;
    this.parties = new PartyRepository(context.db());
    this.codes = codes;
  }

  private final Authorizations codes;

  @Override
  public List<Route> routes() {
    return List.of(Route.post("/oauth/token", this::token, Role.PUBLIC));
  }

  /**
   * Answers a token request; any refusal is written here as an OAuth 2.0 error (RFC 6749 §5.2:
   * {@code error}, {@code error_description}) that is also an RFC 9457 problem document, as {@code
   * application/json} so that stock OAuth clients read it.
   */
  private void token(Context ctx) {
    try {
      issue(ctx);
    } catch (DataPactException e) {
      String error =
          switch (e.kind()) {
            case UNAUTHENTICATED -> "invalid_client";
            case RATE_LIMITED -> "slow_down";
            case UNAVAILABLE -> "temporarily_unavailable";
            default ->
                String.valueOf(e.getMessage()).startsWith("`grant_type`")
                    ? "unsupported_grant_type"
                    : String.valueOf(e.getMessage()).startsWith("`code`")
                        ? "invalid_grant"
                        : "invalid_request";
          };
      ctx.header("Cache-Control", "no-store");
      ctx.status(e.kind().httpStatus())
          .json(
              new TokenError(
                  error,
                  String.valueOf(e.getMessage()),
                  org.datapact.server.http.Problem.TYPE_PREFIX + e.kind().slug(),
                  e.kind().slug(),
                  e.kind().httpStatus(),
                  String.valueOf(e.getMessage()),
                  ctx.path()));
    }
  }

  /** An OAuth 2.0 error (RFC 6749 §5.2) that is also an RFC 9457 problem document. */
  record TokenError(
      @com.fasterxml.jackson.annotation.JsonProperty("error") String error,
      @com.fasterxml.jackson.annotation.JsonProperty("error_description") String errorDescription,
      String type,
      String title,
      int status,
      String detail,
      String instance) {}

  private void issue(Context ctx) throws DataPactException {
    String contentType = Optional.ofNullable(ctx.contentType()).orElse("");
    if (!contentType.startsWith("application/x-www-form-urlencoded")) {
      throw DataPactException.invalid(
          "send the token request form-encoded (application/x-www-form-urlencoded), per RFC 6749 §4.4");
    }
    String grant = ctx.formParam("grant_type");
    if (!"client_credentials".equals(grant) && !"authorization_code".equals(grant)) {
      throw DataPactException.invalid(
          "`grant_type` must be `client_credentials` or `authorization_code`, got `" + grant + "`");
    }
    String[] creds = credentials(ctx);
    String address = ctx.ip();
    long wait = throttle.retryAfter(creds[0], address);
    if (wait > 0) {
      ctx.header("Retry-After", Long.toString(wait));
      throw new DataPactException(
          ErrorKind.RATE_LIMITED,
          "too many failed attempts for this client or from this address; retry after "
              + wait
              + " s");
    }
    ClientCredential client = parties.client(creds[0]).orElse(null);
    boolean ok;
    try {
      if (!throttle.acquireKdf()) {
        ctx.header("Retry-After", "1");
        throw new DataPactException(
            ErrorKind.UNAVAILABLE, "the token endpoint is busy; retry in a second");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataPactException(ErrorKind.UNAVAILABLE, "the token endpoint is stopping");
    }
    try {
      // INVARIANT: an unknown client and a wrong secret give the same answer after the same work
      SecretHash stored = client != null ? client.secretHash() : dummyLike();
      boolean matches = SecretHasher.verify(Secret.of(creds[1]), stored);
      ok = client != null && matches;
      if (client != null) {
        lastIterations = iterationsOf(client.secretHash());
      }
    } finally {
      throttle.release();
    }
    if (!ok || client == null) {
      throttle.failed(creds[0], address);
      ctx.header("WWW-Authenticate", "Basic realm=\"datapact\"");
      throw new DataPactException(ErrorKind.UNAUTHENTICATED, "invalid client credentials");
    }
    Party party =
        parties
            .find(client.party())
            .orElseThrow(
                () ->
                    new DataPactException(ErrorKind.UNAUTHENTICATED, "invalid client credentials"));
    Role role = party.kind() == PartyKind.UNIT ? Role.UNIT : Role.PARTNER_APP;
    Map<String, Object> body = new LinkedHashMap<>();
    // INVARIANT: a token's scopes are what the party's agreements permit now; the decision point
    // still decides each call
    java.util.SortedSet<String> scopes =
        new java.util.TreeSet<>(
            context.decisions().snapshot().scopesOf(party.id(), context.clock().instant()));
    org.datapact.core.user.UserId user = null;
    if ("authorization_code".equals(grant)) {
      // the user's grant, once: bound to them, and no wider than what they allowed
      Authorizations.Grant g =
          codes
              .redeem(
                  Optional.ofNullable(ctx.formParam("code")).orElse(""),
                  client.clientId(),
                  Optional.ofNullable(ctx.formParam("redirect_uri")).orElse(""),
                  Optional.ofNullable(ctx.formParam("code_verifier")).orElse(""))
              .orElseThrow(
                  () ->
                      DataPactException.invalid(
                          "`code`: unknown, used, expired, for another client or redirect_uri,"
                              + " or the code_verifier does not match its challenge"));
      scopes.retainAll(g.scopes());
      user = g.user();
    }
    body.put(
        "access_token",
        context.accessTokens().issue(client.clientId(), party.id(), role, scopes, user));
    body.put("token_type", "Bearer");
    body.put("expires_in", AccessTokens.LIFETIME.toSeconds());
    body.put("scope", String.join(" ", scopes));
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }

  /**
   * The iteration count of the last stored hash seen, so an unknown id costs what a known one does.
   */
  private volatile int lastIterations = SecretHasher.DEFAULT_ITERATIONS;

  private final java.util.concurrent.ConcurrentHashMap<Integer, SecretHash> dummies =
      new java.util.concurrent.ConcurrentHashMap<>();

  private SecretHash dummyLike() {
    return dummies.computeIfAbsent(
        lastIterations,
        n -> new SecretHasher(n).hash(Secret.of(java.util.UUID.randomUUID().toString())));
  }

  private static int iterationsOf(SecretHash h) {
    try {
      return Math.max(10_000, Integer.parseInt(h.encoded().split("\\$")[1]));
    } catch (RuntimeException e) {
      return SecretHasher.DEFAULT_ITERATIONS;
    }
  }

  private static String[] credentials(Context ctx) throws DataPactException {
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new DataPactException(
            ErrorKind.UNAUTHENTICATED, "the Basic credentials are not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0 || colon == decoded.length() - 1) {
        throw new DataPactException(
            ErrorKind.UNAUTHENTICATED, "the Basic credentials must be `client_id:client_secret`");
      }
      return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
    String id = ctx.formParam("client_id");
    String secret = ctx.formParam("client_secret");
    if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
      throw new DataPactException(
          ErrorKind.UNAUTHENTICATED,
          "authenticate the client with HTTP Basic or `client_id` and `client_secret` form fields");
    }
    return new String[] {id, secret};
  }
}
