package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The partner-app authorization dialog in headless Chromium: a choice per item, a partial grant.
 */
class AuthorizeDialogBrowserTest extends BrowserTest {
  @Test
  void aliceAllowsStreamflixHerFriendsListButNotHerProfile() throws Exception {
    String challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; // RFC 7636 appendix B
    String redirect = "http://127.0.0.1:45124/callback";
    String url =
        "/oauth/authorize?response_type=code&client_id="
            + server.clientIdOf("streamflix")
            + "&redirect_uri="
            + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
            + "&scope=friends.list%20profile.basic&purpose=recommendations&state=xyz"
            + "&code_challenge="
            + challenge
            + "&code_challenge_method=S256";
    signIn("alice");
    browser.get(server.uri(url).toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("authorize-items")));
    assertThat(browser.findElement(By.id("authorize-title")).getText())
        .isEqualTo("Streamflix asks for your data");
    assertThat(browser.findElement(By.tagName("main")).getText())
        .contains("recommendations", "streamflix-partnership@4", "your friends list", "your name");
    browser.findElement(By.id("grant-profile.basic")).click();
    screenshot("authorize-dialog");
    browser.findElement(By.id("authorize-allow")).click();
    await().until(d -> d.getCurrentUrl().startsWith(redirect));
    assertThat(browser.getCurrentUrl()).contains("code=").contains("state=xyz");
  }
}
