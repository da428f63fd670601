package org.datapact.server.partner;

import static org.assertj.core.api.Assertions.assertThat;

import org.datapact.core.party.PartyId;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final PartyId P = PartyId.of("streamflix");
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketAllowsABurstUpToTheLimitThenRefillsAtTheRate() {
    RateLimiter limiter = new RateLimiter();
    long t = 5 * SECOND;
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.take(P, "10/PT1S", t).taken()).as("take %d", i).isTrue();
    }
    RateLimiter.Take refused = limiter.take(P, "10/PT1S", t);
    assertThat(refused.taken()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(limiter.take(P, "10/PT1S", t + SECOND / 10 + 1).taken()).isTrue(); // one token per 100 ms
    assertThat(limiter.take(P, "10/PT1S", t + SECOND / 10 + 2).taken()).isFalse();
    assertThat(limiter.take(P, "10/PT1S", t + 10 * SECOND).taken()).isTrue();
  }

  @Test
  void partnersAndRulesHaveTheirOwnBuckets() {
    RateLimiter limiter = new RateLimiter();
    assertThat(limiter.take(P, "1/PT60S", 0).taken()).isTrue();
    assertThat(limiter.take(P, "1/PT60S", 1).taken()).isFalse();
    assertThat(limiter.take(P, "1/PT60S", 2).retryAfterSeconds()).isEqualTo(60);
    assertThat(limiter.take(PartyId.of("tunely"), "1/PT60S", 1).taken()).isTrue();
    assertThat(limiter.take(P, "5/PT1S", 1).taken()).isTrue();
  }
}
