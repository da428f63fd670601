package org.datapact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.log.DurableLog;
import org.datapact.ledger.log.LogFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerVerifyCommandTest {
  @TempDir Path tmp;

  private Path ledgerWithKey(KeyPair keys) throws Exception {
    Path dir = tmp.resolve("ledger");
    try (DurableLog log = DurableLog.open(dir, 100)) {
      for (int i = 0; i < 20; i++) {
        log.append(("entry " + i).getBytes(StandardCharsets.UTF_8)).get();
      }
      org.datapact.ledger.checkpoint.Checkpointer.append(
          log, "datapact.test/ledger", "node-1", keys, Instant.parse("2026-11-29T12:00:00Z"));
    }
    Files.writeString(
        tmp.resolve("node-1.vkey"),
        Notes.verifierKey("node-1", Notes.rawPublicKey(keys.getPublic())) + "\n");
    return dir;
  }

  @Test
  void anIntactLedgerVerifiesWithOneLineAndExitZero() throws Exception {
    Path dir = ledgerWithKey(Notes.generateKeyPair());
    Cli r =
        Cli.run(
            "ledger",
            "verify",
            "--dir",
            dir.toString(),
            "--public-key",
            tmp.resolve("node-1.vkey").toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().strip())
        .startsWith("ledger ok: 20 entries, 1 signed checkpoints verified and consistent");
    Cli json =
        Cli.run(
            "ledger",
            "verify",
            "--json",
            "--dir",
            dir.toString(),
            "--public-key",
            tmp.resolve("node-1.vkey").toString());
    assertThat(json.out())
        .startsWith("{\"ok\":true,\"entries\":20,\"checkpoints\":1,\"firstBadIndex\":-1,");
  }

  @Test
  void aTamperedEntryExitsFiveNamingTheIndex() throws Exception {
    Path dir = ledgerWithKey(Notes.generateKeyPair());
    Path segment = LogFormat.segmentFile(dir, 0);
    byte[] bytes = Files.readAllBytes(segment);
    int firstRecord = LogFormat.recordSize("entry 0".length());
    bytes[firstRecord + 8 + 2] ^= 1; // a byte inside entry 1's text
    Files.write(segment, bytes);
    Cli r =
        Cli.run(
            "ledger",
            "verify",
            "--dir",
            dir.toString(),
            "--public-key",
            tmp.resolve("node-1.vkey").toString());
    assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(r.out().strip()).startsWith("ledger FAILED at index 1:");
  }

  @Test
  void aMalformedKeyFileIsAConfigurationError() throws Exception {
    Path dir = ledgerWithKey(Notes.generateKeyPair());
    Files.writeString(tmp.resolve("bad.vkey"), "not a key");
    Cli r =
        Cli.run(
            "ledger",
            "verify",
            "--dir",
            dir.toString(),
            "--public-key",
            tmp.resolve("bad.vkey").toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
    assertThat(r.err()).contains("datapact: error: public key").contains("name+keyid+base64key");
  }

  @Test
  void anEmptyDirectoryFailsInsteadOfVerifyingNothing() throws Exception {
    ledgerWithKey(Notes.generateKeyPair());
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    Cli r =
        Cli.run(
            "ledger",
            "verify",
            "--dir",
            empty.toString(),
            "--public-key",
            tmp.resolve("node-1.vkey").toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isNotZero();
    assertThat(r.out()).doesNotContain("ledger ok");
    assertThat(r.err()).contains("holds no ledger").contains("entries-000000.log");
  }

  @Test
  void takesTheLedgerRootAsReplayDoes() throws Exception {
    Path log = ledgerWithKey(Notes.generateKeyPair());
    Path root = Files.createDirectory(tmp.resolve("root"));
    Files.move(log, root.resolve("log"));
    Cli r =
        Cli.run(
            "ledger",
            "verify",
            "--dir",
            root.toString(),
            "--public-key",
            tmp.resolve("node-1.vkey").toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).startsWith("ledger ok: 20 entries");
  }

  @Test
  void theJsonOutputIsValidJsonWhateverTheMessageHolds() throws Exception {
    ledgerWithKey(Notes.generateKeyPair());
    Path weird = Files.createDirectory(tmp.resolve("a\tb\u0001c"));
    Files.createFile(
        LogFormat.segmentFile(weird, 0)); // an empty log: the message names the directory
    Cli r =
        Cli.run(
            "ledger",
            "verify",
            "--json",
            "--dir",
            weird.toString(),
            "--public-key",
            tmp.resolve("node-1.vkey").toString());
    var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertThat(node.get("ok").asBoolean()).isFalse();
    assertThat(node.get("message").asText())
        .contains("holds no entries")
        .contains(weird.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
  }
}
