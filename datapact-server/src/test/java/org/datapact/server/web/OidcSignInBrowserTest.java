package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The people's side end to end in `serve` mode: alice signs in through OpenID Connect (an
 * authorization-code-with-PKCE flow against an OpenID provider running inside the test), sees
 * streamflix's read of her data with its reason, verifies the entry in her browser, revokes
 * streamflix for recommendations, and the very next partner call is denied and shows in her history
 * as denied.
 */
class OidcSignInBrowserTest extends BrowserTest {
  static MockOAuth2Server provider;

  @BeforeAll
  static void serveWithAnOpenIdProvider() throws Exception {
    server.close(); // the base class's demo server: this test runs as `serve` does
    provider = new MockOAuth2Server();
    provider.start();
    server = TestServer.serveWithOidc(provider.issuerUrl("default").uri());
  }

  @AfterAll
  static void stopProvider() {
    if (provider != null) {
      provider.shutdown();
    }
  }

  private static void nextSignInIs(Map<String, Object> claims) {
    provider.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            "default",
            "sub-" + claims.get("datapact_user"),
            "JWT",
            List.of("datapact"),
            claims,
            3600));
  }

  @Test
  void aliceSignsInThroughOpenIdConnectVerifiesRevokesAndSeesTheNextCallDenied() throws Exception {
    assertThat(server.session().get("/api/v1/demo/cast").statusCode())
        .as("no demo login under serve")
        .isEqualTo(404);
    String bob = server.partnerId("streamflix", 2); // alice's id for streamflix: user 1
    String alice = server.partnerId("streamflix", 1);
    String read = "/api/v1/users/" + alice + "/profile?purpose=recommendations";
    var first = server.getWithToken(server.token("streamflix"), read);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(bob).isNotEqualTo(alice);

    nextSignInIs(Map.of("datapact_role", "user", "datapact_user", "alice", "name", "Alice Martin"));
    browser.manage().deleteAllCookies();
    browser.get(server.uri("/#/login").toString());
    await().until(ExpectedConditions.elementToBeClickable(By.id("oidc-login")));
    screenshot("oidc-sign-in");
    browser.findElement(By.id("oidc-login")).click();
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("signout")));
    assertThat(browser.findElement(By.id("who")).getText()).contains("Alice");

    server.context.audit().flushIndex();
    server.awaitCheckpointCovering(
        Long.parseLong(first.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow()));
    browser.get(server.uri("/#/me/ledger").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("my-entries")));
    var row =
        browser.findElements(By.cssSelector("#my-entries tr.entry")).stream()
            .filter(r -> r.getText().contains("streamflix asked: profile.basic"))
            .findFirst()
            .orElseThrow();
    assertThat(row.getText()).contains("allow", "permitted", "under streamflix-partnership@4");
    row.findElement(By.cssSelector("button[id^='verify-']")).click();
    await()
        .until(
            ExpectedConditions.presenceOfElementLocated(By.cssSelector("#verification.verified")));

    browser.get(server.uri("/#/me").toString());
    var box =
        await()
            .until(
                ExpectedConditions.elementToBeClickable(
                    By.id("consent-streamflix-recommendations")));
    assertThat(box.isSelected()).isTrue();
    box.click();
    await()
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> !d.findElement(By.id("consent-streamflix-recommendations")).isSelected());

    var next = server.getWithToken(server.token("streamflix"), read);
    assertThat(next.statusCode()).as("the very next call").isEqualTo(403);
    assertThat(next.body()).contains("no_consent");
    server.context.audit().flushIndex();
    browser.get(server.uri("/#/me/ledger").toString());
    await()
        .until(
            d ->
                d.findElements(By.cssSelector("#my-entries tr.entry")).stream()
                    .anyMatch(
                        r ->
                            r.getText().contains("streamflix asked: profile.basic")
                                && r.getText().contains("deny")
                                && r.getText().contains("no_consent")));
    screenshot("access-history");
  }

  @Test
  void aSignInWithoutAKnownUserOrRoleIsRefused() throws Exception {
    nextSignInIs(Map.of("datapact_role", "user", "datapact_user", "nobody-here"));
    browser.manage().deleteAllCookies();
    browser.get(server.uri("/auth/oidc/login").toString());
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("body"), "no platform user"));
    assertThat(browser.manage().getCookieNamed("dp_session")).isNull();

    var forged = server.session().get("/auth/oidc/callback?code=abc&state=made-up");
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(forged.body()).contains("unknown or expired");
  }
}
