package org.datapact.core.ads;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.CountryCode;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class AudienceGuardTest {
  private static final PartyId ACME = PartyId.of("acme");
  private static final Predicate ANY = new Predicate.InCountry(CountryCode.of("DE"));

  private static Audience audience(int from, int to) {
    RoaringBitmap b = new RoaringBitmap();
    b.add((long) from, (long) to);
    return new Audience(ANY, b, Set.of(), LabelSet.EMPTY, Instant.EPOCH);
  }

  @Test
  void refusesAnAudienceBelowTheMinimum() {
    AudienceGuard guard = new AudienceGuard();
    assertThat(guard.admit(ACME, audience(1, 100), 100))
        .get()
        .asString()
        .contains("fewer than 100");
    assertThat(guard.admit(ACME, audience(1, 101), 100)).isEmpty();
  }

  @Test
  void anAgreementMayRaiseTheMinimumButNotLowerIt() {
    AudienceGuard guard = new AudienceGuard();
    assertThat(guard.admit(ACME, audience(1, 151), 10)).isEmpty();
    assertThat(guard.admit(ACME, audience(1, 200), 500)).get().asString().contains("500");
  }

  @Test
  void refusesTwoAudiencesThatDifferByFewerThanTheMinimum() {
    AudienceGuard guard = new AudienceGuard();
    assertThat(guard.admit(ACME, audience(1, 1001), 100)).isEmpty();
    // the same audience less one user: subtracting the two sizes would single that user out
    assertThat(guard.admit(ACME, audience(2, 1001), 100))
        .get()
        .asString()
        .contains("differs from one reported before");
    // the same audience again tells nothing new
    assertThat(guard.admit(ACME, audience(1, 1001), 100)).isEmpty();
    // one that differs by the minimum or more is fine
    assertThat(guard.admit(ACME, audience(101, 1001), 100)).isEmpty();
    // another advertiser has its own history
    assertThat(guard.admit(PartyId.of("other"), audience(2, 1001), 100)).isEmpty();
  }
}
