package org.datapact.server.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.party.PartyId;
import org.datapact.server.http.Role;
import org.datapact.server.session.Caller;

/**
 * OAuth2 access tokens for API clients (RFC 6749 client credentials, RFC 9068 JWT profile shape):
 * HS256 JWTs with issuer, audience {@code datapact-api}, the client id as subject, the party and
 * role, and a 15-minute expiry. A separate key and audience from console sessions, so neither kind
 * of token is accepted as the other.
 *
 * <p>Thread-safe.
 */
public final class AccessTokens {
  static final String ISSUER = "datapact";
  static final String AUDIENCE = "datapact-api";

  /** How long an access token lasts. */
  public static final Duration LIFETIME = Duration.ofMinutes(15);

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Clock clock;

  /**
   * @param key at least 32 bytes
   * @param clock expiry is checked against it
   */
  public AccessTokens(byte[] key, Clock clock) {
    try {
      this.signer = new MACSigner(key.clone());
      this.verifier = new MACVerifier(key.clone());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable access-token key: " + e.getMessage(), e);
    }
    this.clock = clock;
  }

  /**
   * @return tokens under a fresh random key
   */
  public static AccessTokens withRandomKey(Clock clock) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new AccessTokens(key, clock);
  }

  /**
   * Each party's token generation: a token carries the generation it was issued in, and {@link
   * #revokeAll} moves the party to the next, so every earlier token stops working at once.
   */
  private final java.util.concurrent.ConcurrentHashMap<
          PartyId, java.util.concurrent.atomic.AtomicLong>
      generations = new java.util.concurrent.ConcurrentHashMap<>();

  private java.util.concurrent.atomic.AtomicLong generation(PartyId party) {
    return generations.computeIfAbsent(party, p -> new java.util.concurrent.atomic.AtomicLong());
  }

  /**
   * Revokes every token issued to {@code party} up to now: callers must request new tokens, whose
   * scopes then reflect the agreements active at that time.
   */
  public void revokeAll(PartyId party) {
    generation(party).incrementAndGet();
  }

  /**
   * Each client's token generation, as {@link #generations} is each party's: rotating or retiring a
   * client ends the tokens it was issued at once, and no other client's.
   */
  private final java.util.concurrent.ConcurrentHashMap<
          String, java.util.concurrent.atomic.AtomicLong>
      clientGenerations = new java.util.concurrent.ConcurrentHashMap<>();

  private java.util.concurrent.atomic.AtomicLong clientGeneration(String clientId) {
    return clientGenerations.computeIfAbsent(
        clientId, c -> new java.util.concurrent.atomic.AtomicLong());
  }

  /** Revokes every token issued to {@code clientId} up to now (its secret rotated or retired). */
  public void revokeClient(String clientId) {
    clientGeneration(clientId).incrementAndGet();
  }

  /**
   * @param scopes the OAuth2 scopes (RFC 9068 {@code scope}, space-separated): what the party's
   *     active agreements permit when the token is issued
   * @return a signed access token for {@code clientId} acting as {@code role} for {@code party}
   */
  public String issue(
      String clientId, PartyId party, Role role, java.util.SortedSet<String> scopes) {
    return issue(clientId, party, role, scopes, null);
  }

  /**
   * @param user the user the token is bound to (the authorization dialog's grant), or null
   * @return a signed access token as {@link #issue(String, PartyId, Role, java.util.SortedSet)},
   *     bound to {@code user} when given: it reads that user's data only
   */
  public String issue(
      String clientId,
      PartyId party,
      Role role,
      java.util.SortedSet<String> scopes,
      org.datapact.core.user.@org.jspecify.annotations.Nullable UserId user) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
    if (user != null) {
      builder.claim("uid", user.value());
    }
    JWTClaimsSet claims =
        builder
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(clientId)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(LIFETIME)))
            .claim("party", party.value())
            .claim("role", role.wireName())
            .claim("scope", String.join(" ", scopes))
            .claim("gen", generation(party).get())
            .claim("cgen", clientGeneration(clientId).get())
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(
          "cannot sign an access token", e); // INVARIANT: key checked in constructor
    }
    return jwt.serialize();
  }

  /**
   * @return the client the token was issued to, as a caller
   * @throws DataPactException unauthenticated when malformed, forged, for another audience or
   *     expired
   */
  public Caller verify(String token) throws DataPactException {
    Verified v = verified.get(token);
    if (v == null) {
      v = parse(token);
      if (verified.size() >= 10_000) {
        verified.clear();
      }
      verified.put(token, v);
    }
    // checked on every use, cached or not: expiry and revocation
    if (!clock.instant().isBefore(v.expires())) {
      throw unauthenticated("the access token has expired; request a new one at /oauth/token");
    }
    PartyId party = v.caller().party();
    if (party == null || v.generation() < generation(party).get()) {
      throw unauthenticated(
          "the access token was revoked (an agreement changed); request a new one at /oauth/token");
    }
    if (v.clientGeneration() < clientGeneration(v.caller().handle()).get()) {
      throw unauthenticated(
          "the access token was revoked (its client's secret was rotated or the client retired)");
    }
    return v.caller();
  }

  /**
   * A token whose signature and claims were checked once; expiry and revocation are checked per
   * use.
   */
  private record Verified(Caller caller, long generation, long clientGeneration, Instant expires) {}

  /**
   * Tokens verified recently (bounded; cleared when full): a partner presents the same token for 15
   * minutes.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Verified parse(String token) throws DataPactException {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        throw unauthenticated(
            "the access token's signature is not valid; request a new token at /oauth/token");
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      if (!ISSUER.equals(c.getIssuer())
          || c.getAudience() == null
          || !c.getAudience().equals(List.of(AUDIENCE))) {
        throw unauthenticated("the access token was not issued for this API");
      }
      if (c.getExpirationTime() == null || c.getIssueTime() == null) {
        throw unauthenticated("the access token has no expiry or issue time");
      }
      Role role = Role.fromWire(c.getStringClaim("role"));
      if (role != Role.UNIT && role != Role.PARTNER_APP) {
        throw unauthenticated("the access token carries no client role");
      }
      PartyId party = PartyId.of(c.getStringClaim("party"));
      String scope = c.getStringClaim("scope");
      java.util.Set<String> scopes =
          scope == null || scope.isBlank()
              ? java.util.Set.of()
              : java.util.Set.of(scope.trim().split(" +"));
      Long gen = c.getLongClaim("gen");
      Long cgen = c.getLongClaim("cgen");
      Long uid = c.getLongClaim("uid");
      return new Verified(
          new Caller(
              c.getSubject(),
              c.getSubject(),
              role,
              uid == null || role != Role.PARTNER_APP
                  ? null
                  : org.datapact.core.user.UserId.of(uid),
              party,
              scopes),
          gen == null ? 0 : gen,
          cgen == null ? 0 : cgen,
          c.getExpirationTime().toInstant());
    } catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException e) {
      throw unauthenticated("the access token is malformed");
    }
  }

  private static DataPactException unauthenticated(String message) {
    return new DataPactException(ErrorKind.UNAUTHENTICATED, message);
  }

  @Override
  public String toString() {
    return "AccessTokens[HS256, key=****]";
  }
}
