package org.datapact.server.session;

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
import org.datapact.core.user.UserId;
import org.datapact.server.http.Role;
import org.jspecify.annotations.Nullable;

/**
 * Issues and verifies console session tokens: JWTs (RFC 7519) signed with HMAC-SHA256 under a
 * 256-bit key, with issuer, audience, issue time, expiry and a unique id. Verification checks the
 * signature first, then algorithm, issuer, audience and expiry against the injected clock.
 *
 * <p>Thread-safe. The key never leaves this object; {@link #toString()} does not show it.
 */
public final class SessionTokens {
  static final String ISSUER = "datapact";
  static final String AUDIENCE = "datapact-console";

  /** How long a session lasts. */
  public static final Duration LIFETIME = Duration.ofHours(8);

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Clock clock;

  /** Sessions signed out before they expired; null until the server attaches its store. */
  private volatile org.datapact.store.session.@Nullable SessionRevocations revocations;

  /**
   * @param key at least 32 bytes of secret key material
   * @param clock the clock expiry is checked against
   */
  public SessionTokens(byte[] key, Clock clock) {
    if (key.length < 32) {
      throw new IllegalArgumentException(
          "session key must be at least 32 bytes, got " + key.length);
    }
    try {
      this.signer = new MACSigner(key.clone());
      this.verifier = new MACVerifier(key.clone());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable session key: " + e.getMessage(), e);
    }
    this.clock = clock;
  }

  /**
   * @return tokens signed with a fresh random key: sessions end when the server stops
   */
  public static SessionTokens withRandomKey(Clock clock) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new SessionTokens(key, clock);
  }

  /** Attaches the store of signed-out sessions, checked on every {@link #verify}. */
  public void useRevocations(org.datapact.store.session.SessionRevocations r) {
    this.revocations = r;
  }

  /**
   * Signs a session out on the server: the token is refused from now on, until it would have
   * expired anyway, across restarts. A token that does not verify is ignored (nothing to revoke).
   *
   * @return whether a valid session was revoked
   */
  public boolean revoke(String token) {
    try {
      verify(token);
      JWTClaimsSet c = SignedJWT.parse(token).getJWTClaimsSet();
      org.datapact.store.session.SessionRevocations r = revocations;
      if (r == null || c.getJWTID() == null) {
        return false;
      }
      r.revoke(c.getJWTID(), c.getExpirationTime().toInstant());
      return true;
    } catch (DataPactException | ParseException e) {
      return false;
    }
  }

  /**
   * @return a signed token for {@code caller}, valid for {@link #LIFETIME}
   */
  public String issue(Caller caller) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(caller.handle())
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(LIFETIME)))
            .claim("name", caller.displayName())
            .claim("role", caller.role().wireName());
    if (caller.userId() != null) {
      claims.claim("uid", caller.userId().value());
    }
    if (caller.party() != null) {
      claims.claim("party", caller.party().value());
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(
          "cannot sign a session token", e); // INVARIANT: key checked in constructor
    }
    return jwt.serialize();
  }

  /**
   * @return the caller the token was issued to
   * @throws DataPactException unauthenticated when the token is malformed, forged, for another
   *     audience or expired
   */
  public Caller verify(String token) throws DataPactException {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        throw unauthenticated("the session token's signature is not valid; sign in again");
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      if (!ISSUER.equals(c.getIssuer())
          || c.getAudience() == null
          || !c.getAudience().equals(List.of(AUDIENCE))) {
        throw unauthenticated("the session token was not issued for the console; sign in again");
      }
      if (c.getExpirationTime() == null
          || !clock.instant().isBefore(c.getExpirationTime().toInstant())) {
        throw unauthenticated("the session has expired; sign in again");
      }
      org.datapact.store.session.SessionRevocations r = revocations;
      if (r != null && (c.getJWTID() == null || r.isRevoked(c.getJWTID()))) {
        throw unauthenticated("the session was signed out; sign in again");
      }
      Role role = Role.fromWire(c.getStringClaim("role"));
      Long uid = c.getLongClaim("uid");
      String party = c.getStringClaim("party");
      return new Caller(
          c.getSubject(),
          c.getStringClaim("name"),
          role,
          uid == null ? null : UserId.of(uid),
          party == null ? null : PartyId.of(party));
    } catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException e) {
      throw unauthenticated("the session token is malformed; sign in again");
    }
  }

  private static DataPactException unauthenticated(String message) {
    return new DataPactException(ErrorKind.UNAUTHENTICATED, message);
  }

  @Override
  public String toString() {
    return "SessionTokens[HS256, key=****]";
  }
}
