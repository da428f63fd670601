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
    assertThat(browser.findElement(By.id("erase-status")).getText())
        .containsAnyOf("No partner received your data", "A deletion request goes to");

    // the old entries are gone from his view; his current consents were committed again under a new
    // identity
    java.util.List<String> after = indexes();
    assertThat(after).isNotEmpty().doesNotContainAnyElementsOf(before);
    assertThat(browser.findElement(By.id("my-entries")).getText())
        .contains("grant recommendations to tunely");
  }

  @Test
  void aliceVerifiesAnEntryInHerBrowserAndATamperedProofFailsVisibly() throws Exception {
    var read = server.partnerReadsProfile("streamflix", 1);
    server.context.audit().flushIndex();
    server.awaitCheckpointCovering(
        Long.parseLong(read.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow()));
    signIn("alice");
    browser.get(server.uri("/#/me/ledger").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("my-entries")));
    var first = browser.findElement(By.cssSelector("#my-entries button[id^='verify-']"));
    String index = first.getAttribute("id").substring("verify-".length());
    first.click();
    await()
        .until(
            ExpectedConditions.presenceOfElementLocated(By.cssSelector("#verification.verified")));
    assertThat(browser.findElement(By.id("verification")).getText())
        .contains("Entry " + index + " verified in this browser")
        .contains("sibling hashes", "Ed25519, verified here", "was in the log when it was signed");
    screenshot("verify-in-browser");

    // her access history, filtered to streamflix, and the same filter on the downloads
    browser.findElement(By.id("filter-party")).sendKeys("streamflix");
    browser.findElement(By.id("filter-apply")).click();
    await()
        .until(
            ExpectedConditions.attributeContains(
                By.id("download-csv"), "href", "format=csv&party=streamflix"));
    await()
        .until(
            d ->
                d.findElements(By.cssSelector("#my-entries tr.entry")).stream()
                    .allMatch(r -> r.getText().contains("streamflix")));
    assertThat(browser.findElement(By.id("download-export")).getAttribute("href"))
        .endsWith("/api/v1/me/export");

    // a proof with one sibling hash changed must not verify, and the page must say so
    browser.executeScript(
        "const real = window.fetch;"
            + "window.fetch = async (url, opts) => {"
            + "  const r = await real(url, opts);"
            + "  if (!String(url).includes('/evidence')) return r;"
            + "  const e = await r.json();"
            + "  const p = e.auditPath.length ? e.auditPath : null;"
            + "  if (p) { const b = atob(p[0]); p[0] = btoa(String.fromCharCode(b.charCodeAt(0) ^ 1) + b.slice(1)); }"
            + "  else { const b = atob(e.entry); e.entry = btoa(String.fromCharCode(b.charCodeAt(0) ^ 1) + b.slice(1)); }"
            + "  return new Response(JSON.stringify(e), { status: 200, headers: { 'Content-Type': 'application/json' } });"
            + "};");
    browser.findElement(By.id("verify-" + index)).click();
    await()
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#verification.failed")));
    assertThat(browser.findElement(By.id("verification")).getText())
        .contains("Entry " + index + " did NOT verify");
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
    // replay that decision from the log: its inputs beside its outcome
    browser.findElement(By.cssSelector("button.replay[data-index='" + index + "']")).click();
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("replay-outcome"), "MATCH"));
    assertThat(browser.findElement(By.id("replay-panel")).getText())
        .contains("Inputs (from the log)", "Recorded", "Replayed", "ad_targeting");
    assertThat(browser.findElements(By.cssSelector("#replay-consents tr"))).hasSizeGreaterThan(1);
    assertThat(browser.findElement(By.id("replay-policy-through")).getText())
        .matches("Decided on the policy recorded through entry \\d+\\.");
    screenshot("regulator-replay");

    // a decision on its way to the log when a revocation was recorded lands after the revocation's
    // entry (here: the same decision recorded again after it); its replay shows the revocation as
    // not yet in force when it was decided
    var asked =
        server.postWithToken(
            server.token("ads"),
            "/api/v1/decisions",
            "{\"subject\":1,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}");
    byte[] onItsWay =
        server
            .ledger
            .log()
            .entry(
                Long.parseLong(
                    asked.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow()));
    org.datapact.server.privacy.PrivacyFeature.record(
        server.context,
        org.datapact.core.consent.ConsentChange.revoke(
            org.datapact.core.user.UserId.of(1),
            org.datapact.core.decision.PolicySnapshot.PLATFORM,
            org.datapact.core.consent.ConsentTopic.of(
                org.datapact.core.policy.Purpose.AD_TARGETING),
            server.context.clock().instant(),
            "test"));
    long landed = server.ledger.record(onItsWay);
    browser.navigate().refresh();
    await()
        .until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("button.replay[data-index='" + landed + "']")))
        .click();
    await()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#replay-not-yet-in-force")));
    assertThat(browser.findElement(By.id("replay-outcome")).getText()).startsWith("MATCH");
    assertThat(browser.findElements(By.cssSelector("#replay-not-yet-in-force tr"))).hasSize(2);
    assertThat(browser.findElement(By.id("replay-panel")).getText())
        .contains("not yet in force when it was decided (1)", "revoke");
    assertThat(browser.findElement(By.id("replay-outcome")).getText())
        .contains("replays: allow"); // alice's consent, in force when it was decided
    browser.executeScript(
        "arguments[0].scrollIntoView()", browser.findElement(By.id("replay-policy-through")));
    screenshot("regulator-replay-not-yet-in-force");
  }

  @Test
  void anOperatorSeesEveryErasureAndItsDeletionRequests() throws Exception {
    signIn("oscar");
    browser.get(server.uri("/#/erasures").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("erasures")));
    assertThat(browser.findElement(By.tagName("main")).getText())
        .contains("Erasures", "30-day deadline");
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
