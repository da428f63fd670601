package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Approvals, the interest register, and duties with reports in headless Chromium. */
class GovernancePagesBrowserTest extends BrowserTest {
  @Test
  void theRegulatorSeesTheBoardMembersRecusalOnThe2017Amendment() throws Exception {
    signIn("rita");
    browser.get(server.uri("/#/agreements/streamflix-partnership/3").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("approvals")));
    String approvals = browser.findElement(By.id("approvals")).getText();
    assertThat(approvals)
        .contains("operator:rowan", "recused", "executive_role at streamflix")
        .contains("operator:olga", "operator:mina", "approved");
    browser.executeScript("document.getElementById('approvals').scrollIntoView({block: 'center'})");
    screenshot("approvals");
    browser.get(server.uri("/#/interests").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("interests")));
    assertThat(browser.findElement(By.id("interests")).getText())
        .contains("rowan", "streamflix", "executive role", "board seat", "current");
  }

  @Test
  void theRegulatorSeesTheDemosOverdueDutyAndItsDiscrepancyOnFirstStart() throws Exception {
    signIn("rita");
    browser.get(server.uri("/#/reports").toString());
    await()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#discrepancies tr.discrepancy")));
    assertThat(browser.findElement(By.cssSelector("#discrepancies tr.discrepancy")).getText())
        .contains("streamflix", "recipient clicks", "1,840", "discrepancy");
    assertThat(browser.findElement(By.cssSelector("#duties tr.duty-suspending")).getText())
        .contains("tunely", "tunely-messaging@1", "suspending", "send suspended since");
    browser.executeScript("window.scrollTo(0, 0)");
    screenshot("reports");
  }

  @Test
  void anOperatorDraftsAnAmendmentInThePageAndAnUnknownTermIsRefusedNamingWhere() throws Exception {
    signIn("oscar");
    browser.get(server.uri("/#/agreements/tunely-messaging/1").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("amendment")));
    var editor = browser.findElement(By.id("amendment"));
    String odrl = editor.getAttribute("value");
    assertThat(odrl).contains("\"dp:version\": 2", "urn:datapact:party:tunely");
    browser.executeScript(
        "arguments[0].value = arguments[0].value.replace('\"dp:title\"', '\"dp:notes\" : \"x\", \"dp:title\"')",
        editor);
    browser.findElement(By.id("save-draft")).click();
    await()
        .until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "dp:notes"));
    browser.executeScript("arguments[0].value = arguments[1]", editor, odrl);
    browser.findElement(By.id("save-draft")).click();
    await().until(ExpectedConditions.urlContains("#/agreements/tunely-messaging/2"));
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("impact")));
    assertThat(browser.findElement(By.id("agreement-title")).getText()).isNotBlank();
    assertThat(browser.findElement(By.id("impact")).getText()).contains("tunely-messaging@1");
    assertThat(browser.findElements(By.id("submit-draft"))).isNotEmpty();
  }

  @Test
  void twoOperatorsApproveADraftFromItsPage() throws Exception {
    var oscar = server.session();
    oscar.login("oscar");
    var doc =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            org.datapact.server.TestServer.json(
                oscar.get("/api/v1/agreements/seekr-search/versions/1/odrl"));
    doc.put("dp:version", 2);
    var draft = oscar.post("/api/v1/agreements/drafts", doc.toString());
    assertThat(draft.statusCode()).as(draft.body()).isEqualTo(201);
    String page = server.uri("/#/agreements/seekr-search/2").toString();
    signIn("oscar");
    browser.get(page);
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("impact")));
    assertThat(browser.findElement(By.id("impact")).getText())
        .contains("Against seekr-search@1")
        .contains("would change");
    await().until(ExpectedConditions.elementToBeClickable(By.id("submit-draft"))).click();
    await().until(ExpectedConditions.elementToBeClickable(By.id("approve"))).click();
    // oscar drafted it: refused, and the page says why
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("main"), "drafted or submitted themselves"));
    for (String approver : new String[] {"olga", "mina"}) {
      signIn(approver);
      browser.get(page);
      await().until(ExpectedConditions.elementToBeClickable(By.id("approve"))).click();
      await()
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.id("approvals"), "operator:" + approver));
    }
    await().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "active"));
    assertThat(browser.findElement(By.id("approvals")).getText()).contains("olga", "mina");
  }
}
