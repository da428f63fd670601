package org.datapact.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.datapact.core.agreement.Filing;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.datapact.core.world.DemoSnapshots;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Report duties that bite, decided on the request's time (DataPact's clock): the demo world as of
 * 2026-11-29 has every streamflix report filed through October; November's are due on 2026-12-11
 * and, with five days' grace, suspend the Extended API's inbox and messaging from 2026-12-16 until
 * both are filed. tunely never filed October's sends, so its messaging is suspended already.
 */
class DutiesThatBiteTest {
  static final PartyId STREAMFLIX = PartyId.of("streamflix");
  static final PartyId TUNELY = PartyId.of("tunely");
  static final UserId BOB = UserId.of(2);
  static final Instant LAST_DAY_OF_GRACE = Instant.parse("2026-12-15T23:59:59Z");
  static final Instant GRACE_OVER = Instant.parse("2026-12-16T00:00:00Z");

  static PolicySnapshot world;

  @BeforeAll
  static void build() throws Exception {
    world = DemoSnapshots.build(42, 2_000);
  }

  private static DecisionRequest inboxRead(Instant at) {
    return DecisionRequest.about(STREAMFLIX, BOB, Scope.INBOX_READ, Purpose.RECOMMENDATIONS, at);
  }

  @Test
  void allowsInboxReadWhileAMissingReportIsWithinItsGrace() {
    assertThat(world.decide(inboxRead(LAST_DAY_OF_GRACE)).allowed()).isTrue();
  }

  @Test
  void suspendsInboxReadOnceAMissingReportIsPastItsGraceAndSaysWhy() {
    Decision d = world.decide(inboxRead(GRACE_OVER));
    assertThat(d.allowed()).isFalse();
    assertThat(d.reasons()).extracting(Reason::code).containsExactly(ReasonCode.DUTY_OVERDUE);
    assertThat(d.reasons().get(0).rule()).startsWith("streamflix-partnership@4#report-");
    assertThat(d.reasons().get(0).detail())
        .contains("2026-11", "due 2026-12-11", "suspended from 2026-12-16", "until it is filed");
    assertThat(world.allows(inboxRead(GRACE_OVER))).isFalse();
  }

  @Test
  void filingEveryMissingReportRestoresInboxReadAtOnce() {
    PolicySnapshot oneFiled =
        world.withFiling(new Filing(STREAMFLIX, "recommendation_sends", "2026-11"));
    assertThat(oneFiled.decide(inboxRead(GRACE_OVER)).allowed())
        .as("the clicks report still gates the inbox")
        .isFalse();
    PolicySnapshot both =
        oneFiled.withFiling(new Filing(STREAMFLIX, "recipient_clicks", "2026-11"));
    assertThat(both.decide(inboxRead(GRACE_OVER)).allowed()).isTrue();
    assertThat(both.policyHash()).isNotEqualTo(world.policyHash());
    assertThat(both.withFiling(new Filing(STREAMFLIX, "recipient_clicks", "2026-11")))
        .as("filing twice changes nothing")
        .isSameAs(both);
  }

  @Test
  void suspendsOnlyThePermissionsTheDutyGates() {
    Decision friends =
        world.decide(
            DecisionRequest.about(
                STREAMFLIX, BOB, Scope.FRIENDS_LIST, Purpose.RECOMMENDATIONS, GRACE_OVER));
    assertThat(friends.reasons()).extracting(Reason::code).doesNotContain(ReasonCode.DUTY_OVERDUE);
  }

  @Test
  void theDemosOverdueDutySuspendsTunelysMessagingFromTheFirstStart() {
    Decision send =
        world.decide(
            DecisionRequest.about(
                TUNELY, BOB, Scope.MESSAGES_SEND, Purpose.RECOMMENDATIONS, DemoSnapshots.AS_OF));
    assertThat(send.reasons()).extracting(Reason::code).contains(ReasonCode.DUTY_OVERDUE);
    assertThat(send.reasons().stream().filter(r -> r.code() == ReasonCode.DUTY_OVERDUE))
        .allSatisfy(r -> assertThat(r.detail()).contains("tunely", "2026-10"));
  }
}
