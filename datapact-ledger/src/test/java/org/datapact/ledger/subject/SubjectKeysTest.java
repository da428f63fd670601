package org.datapact.ledger.subject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubjectKeysTest {
  @TempDir Path dir;

  @Test
  void keepsPseudonymAndKeyAcrossReopen() throws Exception {
    Path file = dir.resolve("subjects.bin");
    String sealed;
    String pseudonym;
    try (SubjectKeys keys = SubjectKeys.open(file)) {
      SubjectKeys.Subject s = keys.subject(42);
      pseudonym = s.pseudonym();
      sealed = s.seal("{\"user\":42}".getBytes(StandardCharsets.UTF_8));
      assertThat(keys.subject(42).pseudonym()).isEqualTo(pseudonym);
    }
    try (SubjectKeys keys = SubjectKeys.open(file)) {
      assertThat(keys.userOf(pseudonym)).hasValue(42);
      assertThat(new String(keys.find(42).orElseThrow().open(sealed), StandardCharsets.UTF_8))
          .isEqualTo("{\"user\":42}");
    }
    assertThat(Files.getPosixFilePermissions(file)).hasSize(2); // owner read and write only
  }

  @Test
  void erasedSubjectCannotBeOpenedFoundOrLinked() throws Exception {
    try (SubjectKeys keys = SubjectKeys.open(dir.resolve("subjects.bin"))) {
      SubjectKeys.Subject before = keys.subject(7);
      String sealed = before.seal("secret".getBytes(StandardCharsets.UTF_8));
      assertThat(keys.erase(7)).hasValue(before.pseudonym());
      assertThat(keys.find(7)).isEmpty();
      assertThat(keys.userOf(before.pseudonym())).isEmpty();
      assertThat(keys.erase(7)).isEmpty();
      SubjectKeys.Subject after = keys.subject(7);
      assertThat(after.pseudonym()).isNotEqualTo(before.pseudonym());
      assertThatThrownBy(() -> after.open(sealed)).isInstanceOf(IllegalArgumentException.class);
    }
    byte[] file = Files.readAllBytes(dir.resolve("subjects.bin"));
    assertThat(file.length).isEqualTo(8 * SubjectKeys.SLOT);
  }

  @Test
  void keysCreatedReachTheFileAtTheNextSyncAndOneErasedBeforeItNever() throws Exception {
    Path file = dir.resolve("subjects.bin");
    try (SubjectKeys keys = SubjectKeys.open(file)) {
      String three = keys.subject(3).pseudonym();
      keys.subject(4);
      keys.subject(9);
      keys.syncIfDirty();
      try (SubjectKeys other = SubjectKeys.open(file)) {
        assertThat(other.find(3).orElseThrow().pseudonym()).isEqualTo(three);
        assertThat(other.find(4)).isPresent();
        assertThat(other.find(9)).isPresent();
        assertThat(other.find(5)).isEmpty();
      }
      String ten = keys.subject(10).pseudonym();
      assertThat(keys.erase(10)).hasValue(ten);
      keys.subject(12);
      assertThat(keys.erase(3)).hasValue(three);
      keys.syncIfDirty();
      try (SubjectKeys other = SubjectKeys.open(file)) {
        assertThat(other.find(10)).isEmpty();
        assertThat(other.userOf(ten)).isEmpty();
        assertThat(other.find(3)).isEmpty();
        assertThat(other.find(12)).isPresent();
        assertThat(other.count()).isEqualTo(3); // 4, 9 and 12
      }
    }
    assertThat(Files.size(file)).isEqualTo(13 * SubjectKeys.SLOT);
  }

  @Test
  void sealedValueIsBoundToItsSubject() throws Exception {
    try (SubjectKeys keys = SubjectKeys.open(dir.resolve("subjects.bin"))) {
      String sealed = keys.subject(1).seal("x".getBytes(StandardCharsets.UTF_8));
      SubjectKeys.Subject one = keys.subject(1);
      SubjectKeys.Subject moved =
          new SubjectKeys.Subject(2, keys.subject(2).pseudonymBytes(), one.key());
      assertThatThrownBy(() -> moved.open(sealed)).hasMessageContaining("does not open");
      String tampered =
          sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
      assertThatThrownBy(() -> one.open(tampered)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void rejectsUserIdsOutsideTheAddressableRange() throws Exception {
    try (SubjectKeys keys = SubjectKeys.open(dir.resolve("subjects.bin"))) {
      assertThatThrownBy(() -> keys.subject(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> keys.subject(SubjectKeys.MAX_USER_ID + 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void reverseLookupMatchesAModelUnderSeededCreatesAndErasures() throws Exception {
    long seed = Long.getLong("datapact.seed", System.nanoTime());
    System.out.println("SubjectKeysTest seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<Long, String> model = new HashMap<>();
    Path file = dir.resolve("subjects.bin");
    SubjectKeys keys = SubjectKeys.open(file);
    try {
      for (int step = 0; step < 5_000; step++) {
        long user = 1 + rnd.nextInt(3_000);
        int op = rnd.nextInt(10);
        if (op < 6) {
          model.put(user, keys.subject(user).pseudonym());
        } else if (op < 9) {
          assertThat(keys.erase(user).orElse(null))
              .as("seed %d step %d", seed, step)
              .isEqualTo(model.remove(user));
        } else {
          keys.close();
          keys = SubjectKeys.open(file);
        }
      }
      assertThat(keys.count()).isEqualTo(model.size());
      for (Map.Entry<Long, String> e : model.entrySet()) {
        assertThat(keys.userOf(e.getValue())).as("seed %d", seed).hasValue(e.getKey());
      }
    } finally {
      keys.close();
    }
  }
}
