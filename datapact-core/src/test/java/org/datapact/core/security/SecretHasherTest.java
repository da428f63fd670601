package org.datapact.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretHasherTest {
  private final SecretHasher hasher = new SecretHasher(10_000);

  @Test
  void verifiesTheRightSecretAndRejectsAnother() {
    SecretHash h = hasher.hash(Secret.of("correct horse"));
    assertThat(SecretHasher.verify(Secret.of("correct horse"), h)).isTrue();
    assertThat(SecretHasher.verify(Secret.of("correct horsf"), h)).isFalse();
  }

  @Test
  void saltsEveryHash() {
    assertThat(hasher.hash(Secret.of("s"))).isNotEqualTo(hasher.hash(Secret.of("s")));
  }

  @Test
  void neverPrintsTheSecretOrItsHash() {
    Secret s = Secret.of("hunter2");
    assertThat(s.toString()).doesNotContain("hunter2");
    assertThat(hasher.hash(s).toString()).isEqualTo("SecretHash[pbkdf2-sha256]");
  }

  @Test
  void refusesAWeakWorkFactor() {
    assertThatThrownBy(() -> new SecretHasher(1000)).hasMessageContaining("at least 10000");
  }

  @Test
  void defaultWorkFactorIsOwaspsFigure() {
    assertThat(new SecretHasher().hash(Secret.of("x")).encoded())
        .startsWith("pbkdf2-sha256$600000$");
  }
}
