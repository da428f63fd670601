package org.datapact.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.decision.Obligation;
import org.datapact.core.party.PartyId;
import org.junit.jupiter.api.Test;

/** Several live nodes share a limit: together they never grant more than it. */
class RateLimiterShareTest {
  private static int taken(RateLimiter limiter, int tries) {
    var limit = new Obligation.RateLimit(new Constraints.RateLimit(10, Duration.ofMinutes(1)));
    int taken = 0;
    for (int i = 0; i < tries; i++) {
      if (limiter.take(PartyId.of("streamflix"), limit, 1_000L).taken()) {
        taken++;
      }
    }
    return taken;
  }

  @Test
  void eachOfTwoNodesGrantsHalfTheLimit() {
    RateLimiter alone = new RateLimiter();
    assertThat(taken(alone, 20)).isEqualTo(10);
    RateLimiter a = new RateLimiter();
    RateLimiter b = new RateLimiter();
    a.share(2);
    b.share(2);
    assertThat(taken(a, 20) + taken(b, 20)).isEqualTo(10);
    a.share(3);
    assertThat(a.share()).isEqualTo(3);
    assertThat(taken(a, 20)).isEqualTo(3); // 10/3 tokens: three whole ones
  }
}
