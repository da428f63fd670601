package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The agreement, consent and user-consent pages in headless Chromium. */
class PolicyPagesBrowserTest {
  static TestServer server;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.start();
    server = TestServer.demo();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  private WebDriverWait await() {
    return new WebDriverWait(browser, Duration.ofSeconds(10));
  }

  private void signIn(String handle) {
    browser.manage().deleteAllCookies();
    browser.get(server.uri("/#/login").toString());
    await().until(ExpectedConditions.elementToBeClickable(By.id("login-" + handle))).click();
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("signout")));
  }

  private static void screenshot(ChromeDriver b, String name) throws Exception {
    Path shot = Path.of("target", "screenshots", name + ".png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, b.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void theOperatorReadsTheAgreementTimelineAndAVersionInPlainLanguage() throws Exception {
    signIn("oscar");
    browser.get(server.uri("/#/agreements").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("agreements")));
    assertThat(browser.findElements(By.cssSelector("#agreements .seg")).size()).isGreaterThanOrEqualTo(14);
    screenshot(browser, "agreements-timeline");
    browser.findElement(By.linkText("streamflix-partnership v3")).click();
    await().until(ExpectedConditions.textToBe(By.id("agreement-title"), "Ad-targeting data exchange"));
    assertThat(browser.findElement(By.tagName("main")).getText())
        .contains("Data from streamflix may not be used by watch for any purpose.")
        .contains("streamflix guarantees an ad spend of 150,000,000 USD in 2017.");
  }

  @Test
  void aliceRevokesAConsentWithACheckboxAndSeesItInHerHistory() throws Exception {
    signIn("alice");
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("consent-streamflix-recommendations")));
    var box = browser.findElement(By.id("consent-streamflix-recommendations"));
    assertThat(box.isSelected()).isTrue();
    screenshot(browser, "my-consents");
    box.click();
    await().ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> !d.findElement(By.id("consent-streamflix-recommendations")).isSelected()
            && d.findElement(By.id("history")).getText().contains("revoke"));
    var s = server.session();
    s.login("alice");
    assertThat(TestServer.json(s.get("/api/v1/me/consents")).get("consents").toString())
        .doesNotContain("\"party\":\"streamflix\",\"topic\":\"recommendations\"");
  }

  @Test
  void theOperatorLooksUpAUsersConsents() {
    signIn("oscar");
    browser.get(server.uri("/#/operator/consents").toString());
    var input = await().until(ExpectedConditions.presenceOfElementLocated(By.id("user-id")));
    input.clear();
    input.sendKeys("2");
    browser.findElement(By.id("look")).click();
    await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("user-consents"), "Bob Walker"));
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
