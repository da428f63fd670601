package org.datapact.server.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Base for page tests: one headless Chromium and one demo server per test class. */
abstract class BrowserTest {
  static TestServer server;
  static ChromeDriver browser;

  @BeforeAll
  static void startBrowserAndServer() throws Exception {
    browser = Browser.start();
    server = TestServer.demo();
  }

  @AfterAll
  static void stopBrowserAndServer() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  WebDriverWait await() {
    return new WebDriverWait(browser, Duration.ofSeconds(10));
  }

  /**
   * Signs in through the demo login page and waits until the session shows and the page has moved
   * on to the role's home (so a navigation right after is not overtaken by that redirect).
   */
  void signIn(String handle) {
    browser.manage().deleteAllCookies();
    browser.get(server.uri("/#/login").toString());
    await().until(ExpectedConditions.elementToBeClickable(By.id("login-" + handle))).click();
    await()
        .until(
            d ->
                !d.findElements(By.id("signout")).isEmpty()
                    && !d.getCurrentUrl().endsWith("#/login"));
  }

  /** Saves a screenshot under target/screenshots. */
  static void screenshot(String name) throws Exception {
    Path shot = Path.of("target", "screenshots", name + ".png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
  }
}
