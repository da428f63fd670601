package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The partner portal: the partner's API usage and its denials with reasons, in headless Chromium.
 */
class PartnerPortalBrowserTest extends BrowserTest {
  @Test
  void streamflixsManagerSeesItsCallsAndADenialWithItsReason() throws Exception {
    String token = server.token("streamflix");
    String bob = server.partnerId("streamflix", 2);
    assertThat(
            server
                .getWithToken(token, "/api/v1/users/" + bob + "/profile?purpose=recommendations")
                .statusCode())
        .isEqualTo(200);
    var denied =
        server.postWithToken(
            token,
            "/api/v1/activity?purpose=recommendations",
            "{\"user\":\""
                + bob
                + "\",\"category\":\"video_viewing\",\"signal\":{\"genre\":\"documentary\"}}");
    assertThat(denied.statusCode()).isEqualTo(403);
    String index = denied.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow();
    signIn("sam");
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("denials")));
    assertThat(browser.findElement(By.id("calls")).getText())
        .contains("GET /api/v1/users/{userId}/profile")
        .contains("POST /api/v1/activity");
    String denials = browser.findElement(By.id("denials")).getText();
    assertThat(denials)
        .contains("POST /api/v1/activity")
        .contains("special_consent_missing")
        .contains(index);
    screenshot("partner-portal");
  }

  @Test
  void anotherPartnersManagerSeesNoneOfIt() throws Exception {
    String token = server.token("streamflix");
    server.getWithToken(
        token,
        "/api/v1/users/" + server.partnerId("streamflix", 1) + "/profile?purpose=recommendations");
    signIn("tess");
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("calls")));
    assertThat(browser.findElement(By.tagName("main")).getText())
        .doesNotContain("/api/v1/users/{userId}/profile")
        .doesNotContain("special_consent_missing");
  }

  @Test
  void aPartnerWithAMissingReportIsToldWhatIsSuspendedAndWhy() throws Exception {
    signIn("tess");
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("duty-alerts")));
    assertThat(browser.findElement(By.id("duty-alerts")).getText())
        .contains("recommendation sends report for", "send under tunely-messaging@1 is suspended")
        .contains("until it is filed");
    screenshot("partner-duty-alert");
  }

  @Test
  void anOperatorSuspendsAndReinstatesAnAgreementVersionFromItsPage() throws Exception {
    signIn("oscar");
    browser.get(server.uri("/#/agreements/tunely-messaging/1").toString());
    await().until(ExpectedConditions.elementToBeClickable(By.id("change-status"))).click();
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("main"), "operator:oscar"));
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("suspended");
    assertThat(
            server
                .context
                .decisions()
                .snapshot()
                .scopesOf(org.datapact.core.party.PartyId.of("tunely"), java.time.Instant.now()))
        .isEmpty();
    await()
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(ExpectedConditions.textToBe(By.id("change-status"), "Reinstate this version"));
    browser.findElement(By.id("change-status")).click();
    await()
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(ExpectedConditions.textToBe(By.id("change-status"), "Suspend this version"));
    assertThat(
            server
                .context
                .decisions()
                .snapshot()
                .scopesOf(org.datapact.core.party.PartyId.of("tunely"), java.time.Instant.now()))
        .isNotEmpty();
  }
}
