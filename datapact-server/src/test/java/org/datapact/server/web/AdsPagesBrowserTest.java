package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDate;
import org.datapact.core.ads.DeliverySimulator;
import org.datapact.core.world.ProgressListener;
import org.datapact.server.ads.AdsSimulation;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The ads page in headless Chromium: the segment builder's decision, commitments, the chart. */
class AdsPagesBrowserTest extends BrowserTest {
  /** Audiences of 100 or more need more than the default 300 users: this page gets 3,000. */
  @org.junit.jupiter.api.BeforeAll
  static void aWorldBigEnoughForAudiences() throws Exception {
    server.close();
    server = org.datapact.server.TestServer.demoWithUsers(3000);
  }

  @Test
  void theOperatorEstimatesAudiencesSeesRefusalsAndTheRevenueChart() throws Exception {
    AdsSimulation.run(
        server.db,
        LocalDate.parse("2012-01-01"),
        LocalDate.parse("2019-12-31"),
        new DeliverySimulator.Settings(42, 6000, AdsSimulation.defaultScale(3000)),
        Clock.systemUTC(),
        ProgressListener.NONE);
    signIn("oscar");
    browser.get(server.uri("/#/ads").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("definition")));
    WebElement definition = browser.findElement(By.id("definition"));
    definition.clear();
    definition.sendKeys("{\"not\": {\"country\": \"NG\"}}");
    browser.findElement(By.id("estimate-button")).click();
    await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("estimate"), "Allowed"));
    assertThat(browser.findElement(By.id("estimate")).getText()).contains("platform demographic");
    // another advertiser reaching for streamflix's signals is refused, and told why
    definition.clear();
    definition.sendKeys("{\"watched\": {\"partner\": \"streamflix\", \"genre\": \"drama\"}}");
    browser.findElement(By.id("estimate-button")).click();
    await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("estimate"), "Refused"));
    assertThat(browser.findElement(By.id("commitments")).getText())
        .contains("streamflix")
        .contains("2017");
    await().until(ExpectedConditions.attributeToBe(By.id("revenue-chart"), "data-drawn", "true"));
    assertThat(browser.findElements(By.cssSelector("#revenue-chart canvas"))).isNotEmpty();
    screenshot("ads");
    browser.executeScript(
        "document.getElementById('revenue-chart').scrollIntoView({block: 'center'})");
    screenshot("ads-revenue");
  }

  @Test
  void theAdsPageSaysTheSimulationIsUnderWayAndItsFiguresPartial() {
    server.context.ads().simulating(1_200, 2_922);
    try {
      signIn("oscar");
      browser.get(server.uri("/#/ads").toString());
      await().until(ExpectedConditions.presenceOfElementLocated(By.id("simulating")));
      assertThat(browser.findElement(By.id("simulating")).getText())
          .contains("under way")
          .contains("1,200 of 2,922 days")
          .contains("partial");
    } finally {
      server.context.ads().simulationEnded();
    }
    browser.navigate().refresh();
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("commitments")));
    assertThat(browser.findElements(By.id("simulating"))).isEmpty();
  }

  @Test
  void theAdsPageIsForOperatorsAndPartnerStaff() {
    signIn("alice");
    browser.get(server.uri("/#/ads").toString());
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("main"), "This page is for the operator role."));
  }
}
