package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The user's own ledger page (with erasure) and the regulator's ledger page in headless Chromium.
 */
class LedgerPagesBrowserTest extends BrowserTest {
  @Test
  void bobSeesHisConsentChangeInTheLedgerAndErasesHisIdentity() throws Exception {
    var s = server.session();
    s.login("bob");
    assertThat(s.put("/api/v1/me/consents/tunely/recommendations").statusCode()).isEqualTo(200);
    server.context.audit().flushIndex();
    signIn("bob");
    browser.get(server.uri("/#/me/ledger").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("my-entries")));
    assertThat(browser.findElement(By.id("my-entries")).getText())
        .contains("grant recommendations to tunely");
    java.util.List<String> before = indexes();
    screenshot("my-ledger");
    browser.findElement(By.id("erase")).click();
    browser.findElement(By.id("erase-confirm")).click();
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("erase-status"), "destroyed"));
    // the old entries are gone from his view; his current consents were committed again under a new
    // identity
    java.util.List<String> after = indexes();
    assertThat(after).isNotEmpty().doesNotContainAnyElementsOf(before);
    assertThat(browser.findElement(By.id("my-entries")).getText())
        .contains("grant recommendations to tunely");
  }

  private static java.util.List<String> indexes() {
    return browser.findElements(By.cssSelector("#my-entries tr.entry td:first-child")).stream()
        .map(org.openqa.selenium.WebElement::getText)
        .toList();
  }

  @Test
  void theRegulatorBrowsesTheLatestEntriesWithTheSignedCheckpoint() throws Exception {
    var r =
        server.postWithToken(
            server.token("ads"),
            "/api/v1/decisions",
            "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
    String index = r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow();
    signIn("rita");
    browser.get(server.uri("/#/regulator").toString());
    await().until(ExpectedConditions.elementToBeClickable(By.linkText("Ledger entries"))).click();
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("ledger-entries")));
    String table = browser.findElement(By.id("ledger-entries")).getText();
    assertThat(table)
        .contains("ads asked: data.use for ad targeting")
        .contains("user 1 · DE")
        .contains(index);
    assertThat(browser.findElement(By.id("checkpoint-note")).getText())
        .startsWith("datapact/ledger/");
    screenshot("regulator-ledger");
  }

  @Test
  void theLedgerPagesAreOnlyForTheirRoles() {
    signIn("sam");
    browser.get(server.uri("/#/regulator/ledger").toString());
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("main"), "This page is for the regulator role."));
    browser.get(server.uri("/#/me/ledger").toString());
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("main"), "This page is for the user role."));
  }
}
