package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The partner registry page in headless Chromium: register, issue, rotate, retire. */
class RegistryBrowserTest extends BrowserTest {
  @Test
  void anOperatorRegistersAPartnerAndIssuesRotatesAndRetiresItsClient() throws Exception {
    signIn("oscar");
    browser.get(server.uri("/#/registry").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("register-party")));
    browser.findElement(By.id("new-party-id")).sendKeys("cinemo");
    browser.findElement(By.id("new-party-name")).sendKeys("Cinemo");
    browser.findElement(By.id("register-party")).click();
    await().until(ExpectedConditions.elementToBeClickable(By.id("issue-cinemo"))).click();
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("client-secret")));
    String first = browser.findElement(By.id("client-secret")).getText();
    assertThat(first).startsWith("dps_");
    String clientId =
        browser
            .findElement(By.cssSelector("tr.client-live[id^='client-cinemo-']"))
            .getAttribute("id")
            .substring("client-".length());
    await().until(ExpectedConditions.elementToBeClickable(By.id("rotate-" + clientId))).click();
    await().until(d -> !d.findElement(By.id("client-secret")).getText().equals(first));
    assertThat(server.tokenRequest(clientId, first).statusCode()).isEqualTo(401);
    assertThat(
            server
                .tokenRequest(clientId, browser.findElement(By.id("client-secret")).getText())
                .statusCode())
        .isEqualTo(200);
    browser.executeScript("window.scrollTo(0, 0)");
    screenshot("registry");
    await().until(ExpectedConditions.elementToBeClickable(By.id("retire-" + clientId))).click();
    await()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr.client-retired#client-" + clientId)));

    signIn("rita");
    browser.get(server.uri("/#/registry").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("registry")));
    assertThat(browser.findElement(By.id("registry")).getText())
        .contains("streamflix", "cinemo", clientId, "retired");
    assertThat(browser.findElements(By.id("register-party"))).isEmpty();
  }
}
