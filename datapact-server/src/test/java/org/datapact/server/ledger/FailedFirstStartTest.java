package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.datapact.server.TestServer;
import org.datapact.server.http.Json;
import org.datapact.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger fails while a first start commits the generated consent history (its disk gone, say):
 * the start fails, and the next start commits what is left, each change once. The part that was
 * durable before the failure is recorded as committed; before, the next start committed the whole
 * history again after it, and the log held those changes twice.
 */
class FailedFirstStartTest {
  /** A world whose consent history (about three changes a user) is longer than a group commit. */
  private static final int USERS = 4_000;

  @TempDir Path tmp;

  @Test
  void aFirstStartWhoseLedgerFailsPartWayLeavesEachConsentChangeInTheLogOnceAfterARestart()
      throws Exception {
    StoreConfig store = TestServer.freshH2();
    Path dir = Files.createDirectories(tmp.resolve("ledger"));
    AtomicLong synced = new AtomicLong();
    AtomicReference<LedgerService> failing = new AtomicReference<>();
    // the party list and agreements are synced one entry at a time, then the consent history in
    // groups of at most 8,192: the first group to start once more than 100 entries are durable
    // finds the disk gone, so the first group of the history is always durable, and (the world's
    // history being longer than a group) never the whole of it
    assertThatThrownBy(
            () ->
                TestServer.demoOn(
                    store,
                    USERS,
                    dir,
                    d -> {
                      try {
                        LedgerService l =
                            LedgerService.open(
                                d,
                                Clock.systemUTC(),
                                Duration.ZERO,
                                Duration.ofSeconds(10),
                                entries -> {
                                  if (synced.get() > 100) {
                                    throw new IllegalStateException("the ledger's disk is gone");
                                  }
                                  synced.addAndGet(entries);
                                });
                        failing.set(l);
                        return l;
                      } catch (org.datapact.core.DataPactException e) {
                        throw new IllegalStateException(e);
                      }
                    }))
        .hasMessageContaining("the ledger's disk is gone");
    failing.get().close();

    long durable;
    LedgerService reopened = LedgerService.open(dir, Clock.systemUTC(), Duration.ZERO);
    try {
      durable = consentEntries(reopened);
    } finally {
      reopened.close();
    }
    try (TestServer again = TestServer.demoOn(store, USERS, dir)) {
      long stored =
          again
              .db
              .jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT COUNT(*) FROM consent_event").mapTo(Long.class).one());
      assertThat(durable)
          .as("the failure came part way through the history")
          .isBetween(1L, stored - 1);
      assertThat(consentEntries(again.ledger)).isEqualTo(stored);
    }
  }

  private static long consentEntries(LedgerService ledger) throws Exception {
    var mapper = Json.newMapper();
    long n = 0;
    for (long i = 0; i < ledger.log().size(); i++) {
      if (LedgerEntries.parse(mapper, ledger.log().entry(i))
          .get("type")
          .asText()
          .equals("consent")) {
        n++;
      }
    }
    return n;
  }
}
