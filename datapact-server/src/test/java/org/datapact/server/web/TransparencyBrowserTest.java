package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The public transparency report in headless Chromium: published by an operator, read by anyone.
 */
class TransparencyBrowserTest extends BrowserTest {
  @Test
  void anOperatorPublishesAndAnyoneReadsTheChartsWithoutSigningIn() throws Exception {
    int allowed = 0;
    for (int i = 0; i < 60; i++) {
      if (server.partnerReadsProfile("streamflix", 1).statusCode() == 200) {
        allowed++;
      }
      Thread.sleep(25); // under the partner's per-second quota
    }
    assertThat(allowed).isGreaterThan(40);
    browser.manage().deleteAllCookies();
    browser.get(server.uri("/transparency").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("no-releases")));

    signIn("oscar");
    browser.get(server.uri("/#/transparency").toString());
    var epsilon = await().until(ExpectedConditions.elementToBeClickable(By.id("publish-epsilon")));
    epsilon.clear();
    epsilon.sendKeys("1"); // at 0.25 a cell of 60 releases is under the threshold (60)
    browser.findElement(By.id("publish-button")).click();
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("publish-result"), "Published"));

    browser.manage().deleteAllCookies();
    browser.get(server.uri("/transparency").toString());
    browser.navigate().refresh();
    await().until(ExpectedConditions.attributeToBe(By.id("partner-chart"), "data-drawn", "true"));
    await().until(ExpectedConditions.attributeToBe(By.id("country-chart"), "data-drawn", "true"));
    assertThat(browser.findElements(By.cssSelector("#partner-chart canvas"))).isNotEmpty();
    assertThat(browser.findElement(By.id("cells")).getText())
        .contains("streamflix profile.basic recommendations");
    assertThat(browser.findElement(By.id("budgets")).getText())
        .contains(java.time.Year.now(java.time.ZoneOffset.UTC) + " 1 1 0");
    assertThat(browser.findElements(By.id("publish-button"))).isEmpty(); // not signed in
    assertThat(browser.findElement(By.id("csv")).getAttribute("href")).endsWith("?format=csv");
    screenshot("transparency");
  }
}
