package org.datapact.server.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.user.UserId;

/**
 * Authorization codes of the partner-app dialog (RFC 6749 §4.1 with PKCE, RFC 7636): each bound to
 * the client, the user, what the user granted, the redirect URI and the code challenge; good once,
 * for ten minutes. Kept in memory: a restart loses codes in flight, and their apps ask again.
 *
 * <p>Thread-safe.
 */
public final class Authorizations {
  /** How long a code may wait for its exchange. */
  static final Duration LIFETIME = Duration.ofMinutes(10);

  /** The most codes waiting at once. */
  static final int MAX = 100_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * What a user granted a client.
   *
   * @param scopes the scopes granted, in wire form
   * @param challenge the PKCE S256 code challenge
   */
  public record Grant(
      String clientId,
      PartyId party,
      UserId user,
      SortedSet<String> scopes,
      Purpose purpose,
      String redirectUri,
      String challenge,
      Instant expires) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, Grant> codes = new ConcurrentHashMap<>();

  /**
   * @param clock codes expire on it
   */
  public Authorizations(Clock clock) {
    this.clock = clock;
  }

  /**
   * @return a new code for the grant
   * @throws IllegalStateException when too many wait (the caller answers 503)
   */
  String issue(
      String clientId,
      PartyId party,
      UserId user,
      SortedSet<String> scopes,
      Purpose purpose,
      String redirectUri,
      String challenge) {
    Instant now = clock.instant();
    if (codes.size() >= MAX) {
      codes.values().removeIf(g -> !g.expires().isAfter(now));
      if (codes.size() >= MAX) {
        throw new IllegalStateException("too many authorizations waiting");
      }
    }
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    codes.put(
        code,
        new Grant(
            clientId, party, user, scopes, purpose, redirectUri, challenge, now.plus(LIFETIME)));
    return code;
  }

  /**
   * Redeems a code, once.
   *
   * @return the grant, when the code is known, unexpired, of this client and redirect URI, and the
   *     verifier matches its challenge; empty otherwise (the code is spent either way)
   */
  Optional<Grant> redeem(String code, String clientId, String redirectUri, String verifier) {
    Grant g = codes.remove(code);
    if (g == null
        || !g.expires().isAfter(clock.instant())
        || !g.clientId().equals(clientId)
        || !g.redirectUri().equals(redirectUri)
        || !MessageDigest.isEqual(
            challengeOf(verifier).getBytes(StandardCharsets.US_ASCII),
            g.challenge().getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    return Optional.of(g);
  }

  /**
   * @return the S256 code challenge of a verifier: BASE64URL(SHA-256(ASCII(verifier)))
   */
  static String challengeOf(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }
}
