package org.datapact.server.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium for page tests, driven through Debian's chromedriver so Selenium never
 * downloads a browser. Without them the test skips with a visible message on a developer's machine,
 * and fails when {@code CI=true}.
 */
final class Browser {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  private Browser() {}

  static ChromeDriver start() throws Exception {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      String message =
          "browser tests need Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message + " and CI=true: refusing to skip");
      }
      System.err.println("SKIPPED: " + message);
      Assumptions.abort(message);
    }
    Path profile = Files.createTempDirectory("datapact-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
