package org.datapact.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The regulator verifies the log in the browser: consistency between two checkpoints, then — after
 * the ledger was rewritten on disk and the server restarted — the inconsistency, loudly.
 */
class LogVerificationBrowserTest extends BrowserTest {
  /** Opens the verification page so that it renders (and so verifies) exactly once. */
  private void verifyPage() {
    browser.get(server.uri("/#/").toString());
    await().until(ExpectedConditions.presenceOfElementLocated(By.id("signout")));
    browser.get(server.uri("/#/regulator/verify").toString());
  }

  @Test
  void theRegulatorSeesConsistencyThenTheRewrittenLogAsInconsistent() throws Exception {
    signIn("rita");
    verifyPage();
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("verify-status"), "first verification in this browser"));

    for (int i = 0; i < 5; i++) {
      assertThat(server.partnerReadsProfile("streamflix", 1).statusCode()).isEqualTo(200);
    }
    verifyPage();
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("verify-status"), "consistent with size"));
    assertThat(browser.findElement(By.id("verify-detail")).getText()).contains("proof hashes");
    screenshot("regulator-verify");

    // someone rewrites one entry on disk, fixes its CRC and lets the derived files be rebuilt
    server.stopKeepingData();
    rewriteAnAllow(server.ledgerDir.resolve("log"));
    server = TestServer.restartOf(server);
    // the restarted log grows on from its rewritten history
    assertThat(server.partnerReadsProfile("streamflix", 1).statusCode()).isEqualTo(200);
    signIn("rita");
    verifyPage();
    await()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("verify-status"), "INCONSISTENT"));
    assertThat(browser.findElement(By.id("verify-status")).getText())
        .contains("history was rewritten");
    screenshot("regulator-verify-inconsistent");
  }

  /** Turns the first allowed decision in the first segment into another effect, CRC and all. */
  private static void rewriteAnAllow(Path log) throws Exception {
    Path segment = log.resolve("entries-000000.log");
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
    byte[] allow = "\"effect\":\"allow\"".getBytes(StandardCharsets.UTF_8);
    while (b.remaining() > 8) {
      int start = b.position();
      int length = b.getInt();
      if (length == 0) {
        break;
      }
      b.getInt();
      byte[] entry = new byte[length];
      b.get(entry);
      int at = indexOf(entry, allow);
      if (at >= 0) {
        entry[at + 10] = 'x'; // "allow" → "xllow"
        CRC32C crc = new CRC32C();
        crc.update(entry);
        b.putInt(start + 4, (int) crc.getValue());
        b.put(start + 8 + at + 10, (byte) 'x');
        Files.write(segment, b.array());
        try (var files = Files.list(log)) {
          for (Path f : files.toList()) {
            String n = f.getFileName().toString();
            if (n.equals("index.bin") || n.startsWith("level-")) {
              Files.delete(f); // derived: rebuilt from the segments at start
            }
          }
        }
        return;
      }
    }
    throw new AssertionError("no allowed decision in the first segment");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
