package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.verify.LedgerVerifier;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's disk fills up under a partner's reads: from the first entry that cannot be made
 * durable every release is refused with 503 problem+json (nothing is released unledgered),
 * readiness says why in words an operator acts on ("No space left on device"), and once space is
 * freed and the node restarted, it serves again with every acknowledged entry intact (the log
 * verifies). The ledger lives on a small tmpfs the test mounts (it needs root, as CI runs).
 */
class LedgerDiskFullTest {
  @TempDir Path tmp;

  @Test
  void fullDiskRefusesEveryReleaseWithAClearErrorAndLosesNoAcknowledgedEntry() throws Exception {
    Path mount = tmp.resolve("small-disk");
    Files.createDirectories(mount);
    if (!mountTmpfs(mount, "48m")) {
      String why = "LedgerDiskFullTest mounts a tmpfs, which needs root (as CI runs)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why + ": the mount failed with CI=true");
      }
      System.err.println("SKIPPED: " + why);
      Assumptions.abort(why);
    }
    try {
      Path ledgerDir = mount.resolve("ledger");
      List<Long> acknowledged = new ArrayList<>();
      TestServer server = TestServer.demoWithLedgerIn(ledgerDir);
      try {
        for (int i = 0; i < 5; i++) {
          var r = server.partnerReadsProfile("streamflix", 1);
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          acknowledged.add(
              Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow()));
        }
        // the disk fills up
        Path filler = mount.resolve("filler");
        fill(filler);

        String token = server.token("streamflix");
        String path =
            "/api/v1/users/"
                + server.partnerId("streamflix", 1)
                + "/profile?purpose=recommendations";
        // the pages the log's files already hold take a few entries more; then it must refuse
        int refused = 0;
        for (int i = 0; i < 400 && refused < 10; i++) {
          var r = server.getWithToken(token, path);
          if (r.statusCode() == 200) {
            // an entry that still fitted: it must be acknowledged durable, like any other
            acknowledged.add(
                Long.parseLong(r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow()));
            assertThat(refused).as("no release after the first refusal").isZero();
            continue;
          }
          refused++;
          assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
          assertThat(r.headers().firstValue("Content-Type").orElse(""))
              .startsWith("application/problem+json");
          assertThat(r.body()).contains("nothing was released").doesNotContain("\tat ");
        }
        assertThat(refused).as("releases refused once the disk is full").isPositive();
        var ready = server.session().get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(TestServer.json(ready).path("checks").path("ledger").asText())
            .as(ready.body())
            .contains("No space left on device");

        // the operator frees space and restarts the node
        Files.delete(filler);
        server.stopKeepingData();
      } catch (Throwable t) {
        server.close();
        throw t;
      }
      try (TestServer again = TestServer.restartOf(server)) {
        var r = again.partnerReadsProfile("streamflix", 1);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var key = Notes.parseVerifierKey(again.ledger.keys().verifierKey());
        var verified =
            LedgerVerifier.verify(ledgerDir.resolve("log"), key.name(), key.rawPublicKey());
        assertThat(verified.ok()).as(verified.message()).isTrue();
        assertThat(verified.entries())
            .isGreaterThan(acknowledged.stream().mapToLong(x -> x).max().orElseThrow());
      }
    } finally {
      new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
    }
  }

  private static boolean mountTmpfs(Path at, String size) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        System.err.println("mount: " + out);
        return false;
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes {@code file} until the file system is full. */
  private static void fill(Path file) {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left");
    }
  }
}
