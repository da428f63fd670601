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

/** The UI shell in a real headless Chromium: demo sign-in and the role pages. */
class UiShellBrowserTest {
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
  }

  @Test
  void aliceSignsInThroughTheDemoLoginAndSeesHerName() throws Exception {
    browser.manage().deleteAllCookies();
    browser.get(server.uri("/").toString());
    await().until(ExpectedConditions.elementToBeClickable(By.id("signin"))).click();
    await().until(ExpectedConditions.elementToBeClickable(By.id("login-alice"))).click();
    await().until(ExpectedConditions.textToBe(By.id("profile-name"), "Alice Martin"));
    assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("Alice Martin · user");
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("DE");
    Path shot = Path.of("target", "screenshots", "ui-shell-alice.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void theLoginPageListsTheWholeCast() {
    browser.manage().deleteAllCookies();
    browser.get(server.uri("/#/login").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("login-dave")));
    for (String handle : new String[] {"alice", "bob", "carol", "dave", "oscar", "rita", "sam"}) {
      assertThat(browser.findElements(By.id("login-" + handle))).as(handle).hasSize(1);
    }
  }

  @Test
  void theOperatorSeesTheWorldByCountry() throws Exception {
    signIn("oscar");
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("by-country")));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Operator console");
    assertThat(browser.findElement(By.id("by-country")).getText()).contains("US");
    Path shot = Path.of("target", "screenshots", "ui-shell-operator.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void theRegulatorSeesTheRegulatorView() {
    signIn("rita");
    await().until(ExpectedConditions.textToBe(By.tagName("h1"), "Regulator view"));
  }

  @Test
  void partnerStaffSeeTheirPartner() {
    signIn("sam");
    await().until(ExpectedConditions.textToBe(By.tagName("h1"), "Streamflix"));
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("streamflix-app");
  }

  @Test
  void aUserVisitingTheOperatorPageIsToldToSignInAsOne() {
    signIn("bob");
    await().until(ExpectedConditions.textToBe(By.id("profile-name"), "Bob Walker"));
    browser.get(server.uri("/#/operator").toString());
    await().until(ExpectedConditions.textToBe(By.tagName("h1"), "Sign in needed"));
  }

  @Test
  void signingOutReturnsToTheLoginPage() {
    signIn("carol");
    await().until(ExpectedConditions.elementToBeClickable(By.id("signout"))).click();
    await().until(ExpectedConditions.textToBe(By.tagName("h1"), "Demo sign-in"));
    assertThat(browser.findElements(By.id("signin"))).hasSize(1);
  }
}
