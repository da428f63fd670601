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

  /** The purpose of the shared keys, in {@code signing_key}. */
  public static final String PURPOSE = "access-token";

  /** The keys in use: the newest signs (its id in the header's {@code kid}), every one verifies. */
  private record Keys(
      String signKid, MACSigner signer, java.util.Map<String, MACVerifier> verifiers) {}

  private volatile Keys keys;
  private final Clock clock;
  private final org.datapact.store.@org.jspecify.annotations.Nullable Database shared;

  /**
   * @param key at least 32 bytes
   * @param clock expiry is checked against it
   */
  public AccessTokens(byte[] key, Clock clock) {
    this.keys =
        keys(
            List.of(
                new org.datapact.store.cluster.SigningKeyStore.Key(
                    "local", key, Instant.EPOCH, null)));
    this.clock = clock;
    this.shared = null;
  }

  private AccessTokens(org.datapact.store.Database db, Clock clock) {
    this.clock = clock;
    this.shared = db;
    var store = new org.datapact.store.cluster.SigningKeyStore(db);
    var live = store.live(PURPOSE, clock.instant());
    if (live.isEmpty()) {
      // the first node to need a key makes one; a node that raced it keeps its own too (both
      // verify everywhere: each publishes the change, and every node reloads)
      store.rotate(PURPOSE, clock.instant(), clock.instant().plus(LIFETIME));
      live = store.live(PURPOSE, clock.instant());
    }
    this.keys = keys(live);
  }

  /**
   * @return tokens under the signing keys every node sharing {@code db} uses (created on first use)
   */
  public static AccessTokens shared(org.datapact.store.Database db, Clock clock) {
    return new AccessTokens(db, clock);
  }

  private static Keys keys(List<org.datapact.store.cluster.SigningKeyStore.Key> live) {
    try {
      java.util.Map<String, MACVerifier> verifiers = new java.util.HashMap<>();
      for (var k : live) {
        verifiers.put(k.kid(), new MACVerifier(k.secret()));
      }
      var newest = live.get(0);
      return new Keys(
          newest.kid(), new MACSigner(newest.secret()), java.util.Map.copyOf(verifiers));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable access-token key: " + e.getMessage(), e);
    }
  }

  /** Reads the shared keys again (another node rotated them); nothing for a local key. */
  public void reload() {
    if (shared != null) {
      var live =
          new org.datapact.store.cluster.SigningKeyStore(shared).live(PURPOSE, clock.instant());
      if (!live.isEmpty()) {
        keys = keys(live);
      }
    }
  }

  /**
   * Makes a new signing key, shared by every node: tokens are signed with it from now on, and the
   * previous keys verify until the tokens they signed have expired ({@link #LIFETIME}).
   *
   * @return the new key's id
   * @throws IllegalStateException for tokens under a local key
   */
  public String rotate() {
    if (shared == null) {
      throw new IllegalStateException("a local access-token key is not rotated");
    }
    String kid =
        new org.datapact.store.cluster.SigningKeyStore(shared)
            .rotate(PURPOSE, clock.instant(), clock.instant().plus(LIFETIME));
    reload();
    return kid;
  }

  /**
   * @return the id of the key that signs now
   */
  public String signingKeyId() {
    return keys.signKid();
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
    Keys k = keys;
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(k.signKid()).build(), claims);
    try {
      jwt.sign(k.signer());
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
      String kid = jwt.getHeader().getKeyID();
      MACVerifier verifier = kid == null ? null : keys.verifiers().get(kid);
      if (verifier == null) {
        throw unauthenticated(
            "the access token's key is not in use (it was rotated out); request a new token at"
                + " /oauth/token");
      }
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
