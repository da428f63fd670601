package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The regulator's compliance console: charts from the log, tables and their CSV. */
class RegulatorConsoleBrowserTest extends BrowserTest {
  @Test
  void theRegulatorSeesReleasesDenialsConsentsAndDutiesFromTheLog() throws Exception {
    assertThat(server.partnerReadsProfile("streamflix", 1).statusCode()).isEqualTo(200);
    assertThat(server.partnerReadsProfile("streamflix", 4).statusCode()).isEqualTo(403);
    signIn("rita");
    browser.get(server.uri("/#/regulator").toString());
    await()
        .until(ExpectedConditions.elementToBeClickable(By.linkText("Compliance console")))
        .click();
    for (String chart :
        new String[] {
          "releases-chart", "denials-chart", "consents-chart", "revenue-source-chart"
        }) {
      await().until(ExpectedConditions.attributeToBe(By.id(chart), "data-drawn", "true"));
    }
    assertThat(browser.findElement(By.id("releases")).getText())
        .contains("streamflix", "profile.basic", "recommendations");
    assertThat(browser.findElement(By.id("denials")).getText()).contains("streamflix");
    assertThat(browser.findElement(By.id("consents")).getText()).contains("grant");
    assertThat(browser.findElement(By.id("duties")).getText()).contains("tunely");
    assertThat(browser.findElement(By.id("reconciliation")).getText()).contains("recipient_clicks");
    assertThat(browser.findElement(By.id("recusals-total")).getText())
        .contains("approvals refused");
    assertThat(browser.findElement(By.id("shards")).getText())
        .contains("add up 1 shard: datapact/ledger/");
    // each table downloads as CSV: the link carries the rows the page shows
    String href = browser.findElement(By.id("releases-csv")).getAttribute("href");
    assertThat(href).startsWith("data:text/csv;charset=utf-8,");
    String csv =
        java.net.URLDecoder.decode(
            href.substring(href.indexOf(',') + 1), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(csv).startsWith("month,principal,agreement,scope,purpose,jurisdiction,releases\n");
    assertThat(csv).contains(",streamflix,");
    screenshot("regulator-console");
  }
}
