package org.datapact.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.decision.Obligation;
import org.datapact.core.party.PartyId;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final PartyId P = PartyId.of("streamflix");
  private static final long SECOND = 1_000_000_000L;
  private static final Obligation.RateLimit TEN_PER_SECOND = limit(10, Duration.ofSeconds(1));
  private static final Obligation.RateLimit ONE_PER_MINUTE = limit(1, Duration.ofSeconds(60));
  private static final Obligation.RateLimit FIVE_PER_SECOND = limit(5, Duration.ofSeconds(1));

  private static Obligation.RateLimit limit(int n, Duration per) {
    return new Obligation.RateLimit(new Constraints.RateLimit(n, per));
  }

  @Test
  void aFullBucketAllowsABurstUpToTheLimitThenRefillsAtTheRate() {
    RateLimiter limiter = new RateLimiter();
    long t = 5 * SECOND;
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.take(P, TEN_PER_SECOND, t).taken()).as("take %d", i).isTrue();
    }
    RateLimiter.Take refused = limiter.take(P, TEN_PER_SECOND, t);
    assertThat(refused.taken()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(limiter.take(P, TEN_PER_SECOND, t + SECOND / 10 + 1).taken())
        .isTrue(); // one token per 100 ms
    assertThat(limiter.take(P, TEN_PER_SECOND, t + SECOND / 10 + 2).taken()).isFalse();
    assertThat(limiter.take(P, TEN_PER_SECOND, t + 10 * SECOND).taken()).isTrue();
  }

  @Test
  void partnersAndRulesHaveTheirOwnBuckets() {
    RateLimiter limiter = new RateLimiter();
    assertThat(limiter.take(P, ONE_PER_MINUTE, 0).taken()).isTrue();
    assertThat(limiter.take(P, ONE_PER_MINUTE, 1).taken()).isFalse();
    assertThat(limiter.take(P, ONE_PER_MINUTE, 2).retryAfterSeconds()).isEqualTo(60);
    assertThat(limiter.take(PartyId.of("tunely"), ONE_PER_MINUTE, 1).taken()).isTrue();
    assertThat(limiter.take(P, FIVE_PER_SECOND, 1).taken()).isTrue();
  }
}
