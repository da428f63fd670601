package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * With a second node on the same database, the regulator's verification page on the first lists
 * both shards and verifies the other node's signed checkpoint against its key, pinned on first use.
 */
class ShardVerificationBrowserTest extends BrowserTest {
  @Test
  void theVerificationPageVerifiesEveryNodesShard() throws Exception {
    try (TestServer other = TestServer.demoOn(server.store)) {
      for (int i = 0; i < 3; i++) {
        assertThat(other.partnerReadsProfile("streamflix", 1).statusCode()).isEqualTo(200);
      }
      String origin = other.ledger.origin();
      // a test ledger signs on demand (a served one each second while it grows); the node lists
      // its newest checkpoint each second
      other.ledger.checkpoint();
      var unused =
          org.datapact.server.cluster.ChangeFeed.await(
              java.time.Duration.ofSeconds(10),
              () -> new org.datapact.store.cluster.ClusterStore(server.db).shards(),
              shards ->
                  shards.stream()
                      .anyMatch(s -> s.origin().equals(origin) && s.checkpoint() != null));
      signIn("rita");
      browser.get(server.uri("/#/").toString());
      await().until(ExpectedConditions.presenceOfElementLocated(By.id("signout")));
      browser.get(server.uri("/#/regulator/verify").toString());
      await()
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.id("shard-status"), "writes 2 ledger shards"));
      String list = browser.findElement(By.id("shard-list")).getText();
      assertThat(list)
          .contains(server.ledger.origin() + ": this node's shard, verified above")
          .contains(origin + ": checkpoint signature verified (key pinned now, first use)")
          .doesNotContain("INCONSISTENT");
      screenshot("regulator-verify-shards");

      // the ledger page reads the other node's shard through this node: its entries, its replays
      browser.get(server.uri("/#/regulator/ledger").toString());
      await().until(ExpectedConditions.presenceOfElementLocated(By.id("shard-picker")));
      new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("shard-picker")))
          .selectByValue(origin);
      await()
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.cssSelector("dl.facts"), origin));
      long otherSize = other.ledger.log().size();
      await()
          .until(
              d ->
                  d.findElements(By.cssSelector("#ledger-entries tr.entry")).size()
                      == Math.min(50, otherSize));
      assertThat(browser.findElements(By.cssSelector("#ledger-entries tr.entry-decision")))
          .isNotEmpty();
      assertThat(browser.findElement(By.id("ledger-entries")).getText())
          .contains("streamflix asked");
      browser.findElements(By.cssSelector("#ledger-entries button.replay")).get(0).click();
      await().until(ExpectedConditions.presenceOfElementLocated(By.id("replay-outcome")));
      assertThat(browser.findElement(By.id("replay-outcome")).getText())
          .startsWith("MATCH: ")
          .contains("replays: allow");
      screenshot("regulator-ledger-other-shard");
    }
  }
}
