package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.datapact.ledger.witness.Witness;
import org.datapact.server.TestServer;
import org.datapact.server.ledger.WitnessFeature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The regulator's page requires a quorum of the witnesses it trusts, checked in the browser. */
class WitnessQuorumBrowserTest extends BrowserTest {
  @TempDir Path tmp;

  @Test
  void theRegulatorRequiresAQuorumOfKnownWitnesses() throws Exception {
    String logKey = server.context.ledger().keys().verifierKey();
    Witness one = Witness.open(tmp.resolve("one"), "witness-one", logKey);
    Witness two = Witness.open(tmp.resolve("two"), "witness-two", logKey);
    Files.writeString(
        WitnessFeature.witnessesFile(server.ledgerDir),
        one.verifierKey() + "\n" + two.verifierKey() + "\n");
    String note =
        TestServer.json(server.session().get("/api/v1/ledger/checkpoint")).get("note").asText();
    for (Witness w : List.of(one, two)) {
      var cosigned =
          (Witness.Outcome.Cosigned)
              w.observe(note, List.of(), java.time.Instant.now().getEpochSecond());
      var posted =
          server
              .session()
              .post(
                  "/api/v1/ledger/cosignatures",
                  new com.fasterxml.jackson.databind.ObjectMapper()
                      .writeValueAsString(
                          java.util.Map.of("note", note, "cosignature", cosigned.cosignature())));
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    }

    signIn("rita");
    browser.get(server.uri("/#/regulator/verify").toString());
    WebElement keys =
        await().until(ExpectedConditions.presenceOfElementLocated(By.id("witness-keys")));
    keys.sendKeys(one.verifierKey() + "\n" + two.verifierKey());
    WebElement quorum = browser.findElement(By.id("witness-quorum"));
    quorum.clear();
    quorum.sendKeys("2");
    browser.findElement(By.id("witness-save")).click();
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("witness-result"), "Quorum met: 2 of 2 known witnesses cosigned"));
    screenshot("regulator-witnesses");

    quorum = browser.findElement(By.id("witness-quorum"));
    quorum.clear();
    quorum.sendKeys("3");
    browser.findElement(By.id("witness-save")).click();
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("witness-result"), "Quorum NOT met: 2 of 2"));
  }
}
