package org.datapact.core.party;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.datapact.core.user.UserId;
import org.datapact.core.world.DemoWorldGenerator;
import org.junit.jupiter.api.Test;

class PartnerIdsTest {
  private static final PartyId STREAMFLIX = PartyId.of("streamflix");
  private static final PartyId SEEKR = PartyId.of("seekr");

  @Test
  void anIdIsStablePerPartnerAndResolvesOnlyForThatPartner() {
    PartnerIds ids = DemoWorldGenerator.partnerIds(42);
    String a = ids.of(STREAMFLIX, UserId.of(1));
    assertThat(a)
        .hasSize(24)
        .startsWith("u_")
        .isEqualTo(DemoWorldGenerator.partnerIds(42).of(STREAMFLIX, UserId.of(1)));
    assertThat(ids.of(SEEKR, UserId.of(1))).isNotEqualTo(a);
    assertThat(ids.resolve(STREAMFLIX, a)).contains(UserId.of(1));
    assertThat(ids.resolve(SEEKR, a)).isEmpty();
    assertThat(DemoWorldGenerator.partnerIds(43).resolve(STREAMFLIX, a)).isEmpty();
  }

  @Test
  void madeUpAndMalformedIdsResolveToNobody() {
    PartnerIds ids = PartnerIds.random();
    for (String bad :
        new String[] {
          null,
          "",
          "1",
          "u_",
          "u_AAAAAAAAAAAAAAAAAAAAAA",
          "u_' OR 1=1 --xxxxxxxxxx",
          "../../etc/passwd",
          "x_AAAAAAAAAAAAAAAAAAAAAA",
          "u_AAAAAAAAAAAAAAAAAAAAA="
        }) {
      assertThat(ids.resolve(STREAMFLIX, bad)).as(bad).isEmpty();
    }
  }

  @Test
  void seededIdsRoundTripAndNeverCollideAcrossPartners() {
    long seed = Long.getLong("datapact.seed", System.nanoTime());
    System.out.println("PartnerIdsTest seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    PartnerIds ids = PartnerIds.random();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      UserId u = UserId.of(1 + rnd.nextLong(1L << 40));
      String s = ids.of(STREAMFLIX, u);
      String k = ids.of(SEEKR, u);
      assertThat(ids.resolve(STREAMFLIX, s)).as("seed %d", seed).contains(u);
      assertThat(ids.resolve(SEEKR, k)).as("seed %d", seed).contains(u);
      assertThat(ids.resolve(SEEKR, s)).as("seed %d", seed).isEmpty();
      seen.add(s);
      seen.add(k);
    }
    assertThat(seen)
        .hasSizeGreaterThan(9_990); // a repeated user id gives a repeated id; nothing else may
  }
}
