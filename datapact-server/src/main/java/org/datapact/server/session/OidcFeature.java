package org.datapact.server.session;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.user.User;
import org.datapact.server.ServerContext;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.store.party.PartyRepository;
import org.datapact.store.user.UserRepository;
import org.jspecify.annotations.Nullable;

/**
 * Sign-in for {@code serve} through any OpenID Connect provider (authorization code flow with PKCE,
 * RFC 7636, and a nonce), configured by issuer URL, client id and secret. The provider's metadata
 * and keys are discovered from the issuer; the ID token is validated (signature, issuer, audience,
 * expiry, nonce) by Nimbus's {@link IDTokenValidator}. Who signs in comes from two claims: the role
 * (user, operator, regulator, partner) and, for a user, the platform user's handle; partner staff
 * carry their partner in a third. Anything missing or unknown refuses the sign-in. Sign-in attempts
 * are throttled per address.
 */
public final class OidcFeature implements Feature {
  /** How long a started sign-in may take to come back. */
  static final Duration PENDING_FOR = Duration.ofMinutes(10);

  /** The most sign-ins that may be pending at once (then new ones wait). */
  static final int MAX_PENDING = 10_000;

  /** Sign-in attempts an address may start per minute. */
  static final int ATTEMPTS_PER_MINUTE = 20;

  /**
   * The provider and how its claims name DataPact's callers.
   *
   * @param redirectUri this server's callback, {@code <public URL>/auth/oidc/callback}
   */
  public record Settings(
      URI issuer,
      String clientId,
      String clientSecret,
      URI redirectUri,
      String roleClaim,
      String userClaim,
      String partyClaim,
      boolean secureCookie) {
    /** Validates. */
    public Settings {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(redirectUri, "redirectUri");
      if (clientId == null || clientId.isBlank()) {
        throw new IllegalArgumentException("the OpenID Connect client id is required");
      }
      if (clientSecret == null || clientSecret.isBlank()) {
        throw new IllegalArgumentException("the OpenID Connect client secret is required");
      }
    }
  }

  private record Pending(Nonce nonce, CodeVerifier verifier, Instant started) {}

  private final ServerContext context;
  private final Settings settings;
  private final UserRepository users;
  private final PartyRepository parties;
  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, long[]> attempts = new ConcurrentHashMap<>();
  private volatile @Nullable OIDCProviderMetadata provider;

  /**
   * @param context the server's shared parts
   */
  public OidcFeature(ServerContext context, Settings settings) {
    this.context = context;
    this.settings = settings;
    this.users = new UserRepository(context.db());
    this.parties = new PartyRepository(context.db());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/session/oidc", this::describe, Role.PUBLIC),
        Route.get("/auth/oidc/login", this::login, Role.PUBLIC),
        Route.get("/auth/oidc/callback", this::callback, Role.PUBLIC));
  }

  /** Where the console's sign-in page sends people. */
  record Offer(String login, String issuer) {}

  private void describe(Context ctx) {
    ctx.json(new Offer("/auth/oidc/login", settings.issuer().toString()));
  }

  /** The provider's metadata, discovered once from the issuer. */
  private OIDCProviderMetadata provider() throws DataPactException {
    OIDCProviderMetadata p = provider;
    if (p == null) {
      try {
        p = OIDCProviderMetadata.resolve(new Issuer(settings.issuer()));
      } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
        throw new DataPactException(
            ErrorKind.UNAVAILABLE,
            "the sign-in provider `" + settings.issuer() + "` cannot be reached: " + e.getMessage(),
            e);
      }
      provider = p;
    }
    return p;
  }

  /** Refuses an address that started too many sign-ins in the current minute. */
  private void throttle(Context ctx) throws DataPactException {
    long minute = context.clock().millis() / 60_000;
    long[] window =
        attempts.compute(
            ctx.ip(),
            (k, w) ->
                w == null || w[0] != minute
                    ? new long[] {minute, 1}
                    : new long[] {minute, w[1] + 1});
    if (attempts.size() > MAX_PENDING) {
      attempts.entrySet().removeIf(e -> e.getValue()[0] != minute);
    }
    if (window[1] > ATTEMPTS_PER_MINUTE) {
      long wait = 60 - context.clock().millis() / 1000 % 60; // until this address's minute ends
      throw new Throttled(
          "too many sign-in attempts from this address; retry in " + wait + " s", wait);
    }
  }

  /** A refusal that knows when the caller may try again ({@code Retry-After}). */
  private static final class Throttled extends DataPactException {
    private static final long serialVersionUID = 1L;
    private final long wait;

    Throttled(String message, long wait) {
      super(ErrorKind.RATE_LIMITED, message);
      this.wait = wait;
    }

    @Override
    public long retryAfterSeconds() {
      return wait;
    }
  }

  private void login(Context ctx) throws DataPactException {
    throttle(ctx);
    OIDCProviderMetadata p = provider();
    Instant now = context.clock().instant();
    pending.entrySet().removeIf(e -> e.getValue().started().plus(PENDING_FOR).isBefore(now));
    if (pending.size() >= MAX_PENDING) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "too many sign-ins in progress; retry");
    }
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    pending.put(state.getValue(), new Pending(nonce, verifier, now));
    AuthenticationRequest request =
        new AuthenticationRequest.Builder(
                new ResponseType(ResponseType.Value.CODE),
                new Scope("openid", "profile"),
                new ClientID(settings.clientId()),
                settings.redirectUri())
            .endpointURI(p.getAuthorizationEndpointURI())
            .state(state)
            .nonce(nonce)
            .codeChallenge(verifier, CodeChallengeMethod.S256)
            .build();
    ctx.redirect(request.toURI().toString());
  }

  private void callback(Context ctx) throws DataPactException {
    throttle(ctx);
    AuthorizationResponse response;
    try {
      response = AuthorizationResponse.parse(URI.create(ctx.fullUrl()));
    } catch (ParseException e) {
      throw DataPactException.invalid("not a sign-in answer: " + e.getMessage());
    }
    Pending started =
        response.getState() == null ? null : pending.remove(response.getState().getValue());
    if (started == null
        || started.started().plus(PENDING_FOR).isBefore(context.clock().instant())) {
      throw DataPactException.invalid(
          "this sign-in is unknown or expired; start again at /auth/oidc/login");
    }
    if (!response.indicatesSuccess()) {
      AuthorizationErrorResponse error = response.toErrorResponse();
      throw new DataPactException(
          ErrorKind.UNAUTHENTICATED,
          "the provider refused the sign-in: " + error.getErrorObject().getCode());
    }
    AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
    OIDCProviderMetadata p = provider();
    IDTokenClaimsSet claims = exchange(p, code, started);
    Caller caller = caller(claims);
    SessionFeature.signIn(ctx, context.sessions(), caller, settings.secureCookie());
    ctx.redirect("/#/");
  }

  private IDTokenClaimsSet exchange(OIDCProviderMetadata p, AuthorizationCode code, Pending started)
      throws DataPactException {
    try {
      TokenRequest request =
          new TokenRequest(
              p.getTokenEndpointURI(),
              new ClientSecretBasic(
                  new ClientID(settings.clientId()), new Secret(settings.clientSecret())),
              new AuthorizationCodeGrant(code, settings.redirectUri(), started.verifier()));
      TokenResponse response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
      if (!response.indicatesSuccess()) {
        TokenErrorResponse error = response.toErrorResponse();
        throw new DataPactException(
            ErrorKind.UNAUTHENTICATED,
            "the provider refused the code: " + error.getErrorObject().getCode());
      }
      JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
      IDTokenValidator validator =
          new IDTokenValidator(
              p.getIssuer(),
              new ClientID(settings.clientId()),
              JWSAlgorithm.RS256,
              p.getJWKSetURI().toURL());
      return validator.validate(idToken, started.nonce());
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "the sign-in provider cannot be reached: " + e.getMessage(), e);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new DataPactException(
          ErrorKind.UNAUTHENTICATED, "the sign-in could not be verified: " + e.getMessage(), e);
    }
  }

  /**
   * @return the caller the claims name
   * @throws DataPactException forbidden when they name no role, an unknown user or partner
   */
  Caller caller(IDTokenClaimsSet claims) throws DataPactException {
    String roleName = claims.getStringClaim(settings.roleClaim());
    String name =
        Optional.ofNullable(claims.getStringClaim("name")).orElse(claims.getSubject().getValue());
    String handle =
        Optional.ofNullable(claims.getStringClaim(settings.userClaim()))
            .orElse(claims.getSubject().getValue());
    if (roleName == null) {
      throw new DataPactException(
          ErrorKind.FORBIDDEN, "the sign-in carries no `" + settings.roleClaim() + "` claim");
    }
    Role role;
    try {
      role = Role.fromWire(roleName);
    } catch (IllegalArgumentException e) {
      throw new DataPactException(
          ErrorKind.FORBIDDEN, "role `" + roleName + "` is not one of DataPact's");
    }
    switch (role) {
      case USER -> {
        User u =
            users
                .findByHandle(handle)
                .orElseThrow(
                    () ->
                        new DataPactException(
                            ErrorKind.FORBIDDEN, "no platform user `" + handle + "`"));
        return new Caller(u.handle(), u.displayName(), Role.USER, u.id(), null);
      }
      case OPERATOR, REGULATOR -> {
        return new Caller(handle, name, role, null, null);
      }
      case PARTNER -> {
        String partyName = claims.getStringClaim(settings.partyClaim());
        Party party = null;
        if (partyName != null && partyName.matches("[a-z][a-z0-9-]{1,31}")) {
          party =
              parties
                  .find(PartyId.of(partyName))
                  .filter(x -> x.kind() == PartyKind.PARTNER)
                  .orElse(null);
        }
        if (party == null) {
          throw new DataPactException(
              ErrorKind.FORBIDDEN,
              "partner staff need a known partner in `" + settings.partyClaim() + "`");
        }
        return new Caller(handle, name, Role.PARTNER, null, party.id());
      }
      default ->
          throw new DataPactException(
              ErrorKind.FORBIDDEN, "role `" + roleName + "` cannot sign in to the console");
    }
  }
}
