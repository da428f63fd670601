package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The UI shell in a real headless Chromium: demo sign-in and the role pages. */
class UiShellBrowserTest extends BrowserTest {
  @Test
  void aliceSignsInThroughTheDemoLoginAndSeesHerName() throws Exception {
    browser.manage().deleteAllCookies();
    browser.get(server.uri("/").toString());
    await().until(ExpectedConditions.elementToBeClickable(By.id("signin"))).click();
    await().until(ExpectedConditions.elementToBeClickable(By.id("login-alice"))).click();
    await().until(ExpectedConditions.textToBe(By.id("profile-name"), "Alice Martin"));
    assertThat(browser.findElement(By.id("signed-in-as")).getText())
        .isEqualTo("Alice Martin · user");
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("DE");
    screenshot("ui-shell-alice");
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
    screenshot("ui-shell-operator");
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
