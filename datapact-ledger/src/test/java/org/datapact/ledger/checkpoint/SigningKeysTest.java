package org.datapact.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  @TempDir Path dir;

  @Test
  void createsAKeyOnceAndLoadsTheSameKeyAfter() throws Exception {
    SigningKeys first = SigningKeys.loadOrCreate(dir, "node-1");
    SigningKeys again = SigningKeys.loadOrCreate(dir, "node-1");
    assertThat(again.rawPublicKey()).isEqualTo(first.rawPublicKey());
    Checkpoint head =
        new Checkpoint(
            "datapact.test/ledger",
            0,
            org.datapact.ledger.merkle.Hashes.emptyRoot(),
            Instant.EPOCH);
    String note = Notes.sign(head, "node-1", again.pair().getPrivate(), again.pair().getPublic());
    Notes.VerifierKey vkey = Notes.parseVerifierKey(Files.readString(dir.resolve("node-1.vkey")));
    assertThat(Notes.verify(note, vkey.name(), vkey.rawPublicKey())).isEqualTo(head);
  }

  @Test
  void thePrivateKeyFileIsOwnerOnlyAndNeverPrinted() throws Exception {
    SigningKeys keys = SigningKeys.loadOrCreate(dir, "node-1");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node-1.key"))))
        .isEqualTo("rw-------");
    assertThat(keys.toString()).doesNotContain(Files.readString(dir.resolve("node-1.key")).strip());
  }

  @Test
  void aDamagedKeyFileIsAnErrorNotANewKey() throws Exception {
    SigningKeys.loadOrCreate(dir, "node-1");
    Files.writeString(dir.resolve("node-1.key"), "not a key\n");
    assertThatThrownBy(() -> SigningKeys.loadOrCreate(dir, "node-1"))
        .hasMessageContaining("does not hold an Ed25519 private key");
  }
}
