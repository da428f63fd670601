package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The agreement, consent and user-consent pages in headless Chromium. */
class PolicyPagesBrowserTest extends BrowserTest {
  @Test
  void theOperatorReadsTheAgreementTimelineAndAVersionInPlainLanguage() throws Exception {
    signIn("oscar");
    browser.get(server.uri("/#/agreements").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("agreements")));
    assertThat(browser.findElements(By.cssSelector("#agreements .seg")).size())
        .isGreaterThanOrEqualTo(14);
    screenshot("agreements-timeline");
    browser.findElement(By.linkText("streamflix-partnership v3")).click();
    await()
        .until(ExpectedConditions.textToBe(By.id("agreement-title"), "Ad-targeting data exchange"));
    assertThat(browser.findElement(By.tagName("main")).getText())
        .contains("Data from streamflix may not be used by watch for any purpose.")
        .contains("streamflix guarantees an ad spend of 150,000,000 USD in 2017.");
  }

  @Test
  void aliceRevokesAConsentWithACheckboxAndSeesItInHerHistory() throws Exception {
    signIn("alice");
    await()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.id("consent-streamflix-recommendations")));
    var box = browser.findElement(By.id("consent-streamflix-recommendations"));
    assertThat(box.isSelected()).isTrue();
    screenshot("my-consents");
    box.click();
    await()
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d ->
                !d.findElement(By.id("consent-streamflix-recommendations")).isSelected()
                    && d.findElement(By.id("history")).getText().contains("revoke"));
    var s = server.session();
    s.login("alice");
    assertThat(TestServer.json(s.get("/api/v1/me/consents")).get("consents").toString())
        .doesNotContain("\"party\":\"streamflix\",\"topic\":\"recommendations\"");
    // the revocation has a signed receipt, listed first, that verifies with the published key
    var row = browser.findElement(By.cssSelector("#receipts tr:nth-child(2)"));
    assertThat(row.getText()).contains("revoke recommendations", "streamflix", "download");
    browser.executeScript("document.getElementById('receipts').scrollIntoView({block: 'center'})");
    screenshot("my-receipts");
    String href = row.findElement(By.tagName("a")).getAttribute("href");
    var key =
        com.nimbusds
            .jose
            .jwk
            .JWK
            .parse(s.get("/api/v1/ledger/receipt-key").body())
            .toOctetKeyPair();
    assertThat(
            org.datapact.server.privacy.ConsentReceipts.verify(
                s.get(java.net.URI.create(href).getPath()).body(), key))
        .contains("\"dp:action\":\"revoke\"");
  }

  @Test
  void theOperatorLooksUpAUsersConsents() {
    signIn("oscar");
    browser.get(server.uri("/#/operator/consents").toString());
    var input = await().until(ExpectedConditions.presenceOfElementLocated(By.id("user-id")));
    input.clear();
    input.sendKeys("2");
    browser.findElement(By.id("look")).click();
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("user-consents"), "Bob Walker"));
    assertThat(browser.findElement(By.id("user-consents")).getText()).contains("streamflix");
  }

  @Test
  void partnerStaffSeeOnlyTheirOwnAgreementTimeline() {
    signIn("sam");
    browser.get(server.uri("/#/agreements").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("agreements")));
    String text = browser.findElement(By.id("agreements")).getText();
    assertThat(text).contains("streamflix-partnership").doesNotContain("tunely");
  }
}
