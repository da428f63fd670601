package org.datapact.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.datapact.core.user.UserId;
import org.datapact.server.http.Role;
import org.junit.jupiter.api.Test;

class SessionTokensTest {
  private static final byte[] KEY = new byte[32];
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final Caller alice = new Caller("alice", "Alice Martin", Role.USER, UserId.of(1), null);

  @Test
  void aTokenVerifiesToTheSameCaller() throws Exception {
    SessionTokens tokens = new SessionTokens(KEY, Clock.fixed(T0, ZoneOffset.UTC));
    assertThat(tokens.verify(tokens.issue(alice))).isEqualTo(alice);
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    String token = new SessionTokens(KEY, Clock.fixed(T0, ZoneOffset.UTC)).issue(alice);
    SessionTokens later =
        new SessionTokens(
            KEY,
            Clock.fixed(
                T0.plus(SessionTokens.LIFETIME).plus(Duration.ofSeconds(1)), ZoneOffset.UTC));
    assertThatThrownBy(() -> later.verify(token)).hasMessageContaining("expired");
  }

  @Test
  void aTokenFromAnotherKeyIsRefused() {
    byte[] other = new byte[32];
    other[0] = 1;
    String token = new SessionTokens(other, Clock.fixed(T0, ZoneOffset.UTC)).issue(alice);
    assertThatThrownBy(() -> new SessionTokens(KEY, Clock.fixed(T0, ZoneOffset.UTC)).verify(token))
        .hasMessageContaining("signature");
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String token = new SessionTokens(KEY, Clock.fixed(T0, ZoneOffset.UTC)).issue(alice);
    String[] parts = token.split("\\.");
    String none =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes());
    assertThatThrownBy(
            () ->
                new SessionTokens(KEY, Clock.fixed(T0, ZoneOffset.UTC))
                    .verify(none + "." + parts[1] + "."))
        .hasMessageContaining("session token");
  }

  @Test
  void garbageIsMalformed() {
    assertThatThrownBy(() -> new SessionTokens(KEY, Clock.systemUTC()).verify("not-a-jwt"))
        .hasMessageContaining("malformed");
  }

  @Test
  void aShortKeyIsRefused() {
    assertThatThrownBy(() -> new SessionTokens(new byte[16], Clock.systemUTC()))
        .hasMessageContaining("32 bytes");
  }
}
