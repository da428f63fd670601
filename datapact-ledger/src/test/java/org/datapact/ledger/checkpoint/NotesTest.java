package org.datapact.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import org.datapact.ledger.merkle.Hashes;
import org.junit.jupiter.api.Test;

class NotesTest {
  static final KeyPair KEYS = Notes.generateKeyPair();
  static final byte[] PUB = Notes.rawPublicKey(KEYS.getPublic());
  static final Checkpoint HEAD =
      new Checkpoint(
          "datapact.test/ledger",
          8,
          Hashes.leaf(new byte[] {1, 2, 3}),
          Instant.parse("2026-11-29T12:00:00.123Z"));

  private static String signed() {
    return Notes.sign(HEAD, "datapact-test", KEYS.getPrivate(), KEYS.getPublic());
  }

  @Test
  void aSignedCheckpointIsAC2spNote() {
    String note = signed();
    String[] lines = note.split("\n", -1);
    assertThat(lines[0]).isEqualTo("datapact.test/ledger");
    assertThat(lines[1]).isEqualTo("8");
    assertThat(Base64.getDecoder().decode(lines[2])).isEqualTo(HEAD.rootHash());
    assertThat(lines[3]).isEqualTo("timestamp " + HEAD.timestamp().toEpochMilli());
    assertThat(lines[4]).isEmpty();
    assertThat(lines[5]).startsWith("\u2014 datapact-test ");
    byte[] blob = Base64.getDecoder().decode(lines[5].substring("\u2014 datapact-test ".length()));
    assertThat(blob).hasSize(68).startsWith(Notes.keyId("datapact-test", PUB));
  }

  @Test
  void verifiesWithThePublicKeyOnly() {
    assertThat(Notes.verify(signed(), "datapact-test", PUB)).isEqualTo(HEAD);
  }

  @Test
  void anyChangeToTheBodyBreaksTheSignature() {
    String note = signed();
    assertThatThrownBy(
            () -> Notes.verify(note.replaceFirst("\n8\n", "\n9\n"), "datapact-test", PUB))
        .hasMessageContaining("does not verify");
    String root = Base64.getEncoder().encodeToString(HEAD.rootHash());
    String other = Base64.getEncoder().encodeToString(Hashes.leaf(new byte[] {9}));
    assertThatThrownBy(() -> Notes.verify(note.replace(root, other), "datapact-test", PUB))
        .hasMessageContaining("does not verify");
  }

  @Test
  void anotherKeyOrNameIsRefused() {
    byte[] other = Notes.rawPublicKey(Notes.generateKeyPair().getPublic());
    assertThatThrownBy(() -> Notes.verify(signed(), "datapact-test", other))
        .hasMessageContaining("no signature by key");
    assertThatThrownBy(() -> Notes.verify(signed(), "someone-else", PUB))
        .hasMessageContaining("no signature by key `someone-else`");
  }

  @Test
  void verifierKeysRoundTripAndCheckTheirId() {
    String vkey = Notes.verifierKey("datapact-test", PUB);
    assertThat(vkey).startsWith("datapact-test+");
    Notes.VerifierKey parsed = Notes.parseVerifierKey(vkey);
    assertThat(parsed.name()).isEqualTo("datapact-test");
    assertThat(parsed.rawPublicKey()).isEqualTo(PUB);
    assertThatThrownBy(
            () -> Notes.parseVerifierKey(vkey.replaceFirst("datapact-test", "other-name")))
        .hasMessageContaining("id does not match");
  }

  @Test
  void verifierKeysWhoseBase64HoldsAPlusStillParse() {
    for (int i = 0; i < 200; i++) { // random keys: about half of them have a + in their base64
      byte[] pub = Notes.rawPublicKey(Notes.generateKeyPair().getPublic());
      assertThat(Notes.parseVerifierKey(Notes.verifierKey("k", pub)).rawPublicKey()).isEqualTo(pub);
    }
  }

  @Test
  void malformedNotesAreRefusedWithAReason() {
    assertThatThrownBy(() -> Notes.verify("datapact.test/ledger\n8\n", "datapact-test", PUB))
        .hasMessageContaining("no blank line");
    assertThatThrownBy(() -> new Checkpoint("two\nlines", 1, new byte[32], Instant.EPOCH))
        .hasMessageContaining("one non-blank line");
    assertThatThrownBy(() -> new Checkpoint("o", 1, new byte[31], Instant.EPOCH))
        .hasMessageContaining("32 bytes");
  }
}
