package org.datapact.ledger.witness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.datapact.ledger.checkpoint.Checkpoint;
import org.datapact.ledger.checkpoint.Cosignatures;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.checkpoint.SigningKeys;
import org.datapact.ledger.merkle.Hashes;
import org.datapact.ledger.merkle.MemoryTree;
import org.datapact.ledger.merkle.Proofs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two witnesses cosign a growing log and refuse every fork of it. */
class WitnessTest {
  @TempDir Path tmp;
  private SigningKeys logKey;
  private Witness w1;
  private Witness w2;

  @BeforeEach
  void open() throws Exception {
    logKey = SigningKeys.loadOrCreate(tmp.resolve("log-keys"), "datapact-ledger");
    w1 = Witness.open(tmp.resolve("w1"), "witness-one", logKey.verifierKey());
    w2 = Witness.open(tmp.resolve("w2"), "witness-two", logKey.verifierKey());
  }

  private static MemoryTree tree(String prefix, int n) {
    MemoryTree t = new MemoryTree();
    for (int i = 0; i < n; i++) {
      t.append(Hashes.leaf((prefix + i).getBytes(StandardCharsets.UTF_8)));
    }
    return t;
  }

  private String note(MemoryTree t, long size) {
    return Notes.sign(
        new Checkpoint(
            "datapact/ledger/test",
            size,
            t.root(size),
            Instant.ofEpochSecond(1_800_000_000L + size)),
        logKey.name(),
        logKey.pair().getPrivate(),
        logKey.pair().getPublic());
  }

  private static Witness.Outcome observe(Witness w, MemoryTree t, String note, long size)
      throws Exception {
    long from = w.proofFrom().orElse(0);
    List<byte[]> proof = from > 0 && from < size ? Proofs.consistency(from, size, t) : List.of();
    return w.observe(note, proof, 1_800_000_000L);
  }

  @Test
  void bothCosignAGrowingLogInTheC2spFormat() throws Exception {
    MemoryTree t = tree("e", 40);
    for (long size : new long[] {3, 10, 10, 17, 40}) {
      String note = note(t, size);
      for (Witness w : List.of(w1, w2)) {
        var out = observe(w, t, note, size);
        assertThat(out).isInstanceOf(Witness.Outcome.Cosigned.class);
        String cosigned = note + ((Witness.Outcome.Cosigned) out).cosignature();
        var key = Cosignatures.parseVerifierKey(w.verifierKey());
        assertThat(Cosignatures.verify(cosigned, key.name(), key.rawPublicKey()))
            .hasValue(1_800_000_000L);
        // the log's own signature still verifies on the cosigned note
        assertThat(Notes.verify(cosigned, logKey.name(), logKey.rawPublicKey()).size())
            .isEqualTo(size);
      }
    }
    assertThat(w1.seen().orElseThrow().size()).isEqualTo(40);
  }

  @Test
  void bothRefuseTheSameSizeWithAnotherRoot() throws Exception {
    MemoryTree honest = tree("e", 20);
    for (Witness w : List.of(w1, w2)) {
      assertThat(observe(w, honest, note(honest, 20), 20))
          .isInstanceOf(Witness.Outcome.Cosigned.class);
    }
    MemoryTree forked = tree("f", 20);
    for (Witness w : List.of(w1, w2)) {
      var out = observe(w, forked, note(forked, 20), 20);
      assertThat(out).isInstanceOf(Witness.Outcome.Refused.class);
      assertThat(((Witness.Outcome.Refused) out).reason()).startsWith("fork: size 20");
    }
    assertThat(Files.readString(tmp.resolve("w1/refusals.log"))).contains("fork: size 20");
    assertThat(Files.readString(tmp.resolve("w2/refusals.log"))).contains("fork: size 20");
  }

  @Test
  void bothRefuseARewrittenPrefixAndARollback() throws Exception {
    MemoryTree honest = tree("e", 20);
    for (Witness w : List.of(w1, w2)) {
      observe(w, honest, note(honest, 20), 20);
    }
    // a log that rewrote entry 5 and grew on: its own proof from 20 cannot match the root seen
    MemoryTree rewritten = tree("e", 30);
    MemoryTree altered = new MemoryTree();
    for (int i = 0; i < 30; i++) {
      altered.append(Hashes.leaf(("e" + (i == 5 ? "X" : i)).getBytes(StandardCharsets.UTF_8)));
    }
    for (Witness w : List.of(w1, w2)) {
      var out = observe(w, altered, note(altered, 30), 30);
      assertThat(out).isInstanceOf(Witness.Outcome.Refused.class);
      assertThat(((Witness.Outcome.Refused) out).reason()).contains("history was rewritten");
      var back = observe(w, honest, note(honest, 12), 12);
      assertThat(((Witness.Outcome.Refused) back).reason()).contains("went back");
      // the honest log grown on is still cosigned: the refusals did not move what was seen
      assertThat(observe(w, rewritten, note(rewritten, 30), 30))
          .isInstanceOf(Witness.Outcome.Cosigned.class);
    }
  }

  @Test
  void refusesACheckpointTheLogDidNotSign() throws Exception {
    SigningKeys other = SigningKeys.loadOrCreate(tmp.resolve("other"), "datapact-ledger");
    MemoryTree t = tree("e", 5);
    String forged =
        Notes.sign(
            new Checkpoint("datapact/ledger/test", 5, t.root(5), Instant.ofEpochSecond(1)),
            other.name(),
            other.pair().getPrivate(),
            other.pair().getPublic());
    var out = w1.observe(forged, List.of(), 1);
    assertThat(((Witness.Outcome.Refused) out).reason()).contains("not signed by the log's key");
    assertThat(w1.seen()).isEmpty();
  }
}
