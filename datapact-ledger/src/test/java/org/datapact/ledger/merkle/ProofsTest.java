package org.datapact.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Merkle code against the RFC 6962/9162 reference vectors (the eight-entry tree of the
 * Certificate Transparency test data) and against an independent, naive implementation written
 * straight from the RFC's recursive definitions, over seeded generated trees.
 */
class ProofsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String[] ENTRIES = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"
  };
  private static final String[] ROOTS = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
  };
  private static final long SEED = Long.getLong("datapact.seed", 9162L);

  private static MemoryTree referenceTree() {
    MemoryTree t = new MemoryTree();
    for (String e : ENTRIES) {
      t.append(Hashes.leaf(HEX.parseHex(e)));
    }
    return t;
  }

  private static List<String> hex(List<byte[]> proof) {
    return proof.stream().map(HEX::formatHex).toList();
  }

  private static List<byte[]> unhex(String... hashes) {
    List<byte[]> out = new ArrayList<>();
    for (String h : hashes) {
      out.add(HEX.parseHex(h));
    }
    return out;
  }

  @Test
  void rootsMatchTheReferenceVectorsForEverySize() {
    MemoryTree t = referenceTree();
    for (int n = 0; n <= 8; n++) {
      assertThat(HEX.formatHex(t.root(n))).as("size %d", n).isEqualTo(ROOTS[n]);
    }
  }

  @Test
  void inclusionProofsMatchTheReferenceVectors() {
    MemoryTree t = referenceTree();
    assertThat(hex(Proofs.inclusion(0, 8, t)))
        .containsExactly(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    List<byte[]> p5 =
        unhex(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertThat(hex(Proofs.inclusion(5, 8, t))).isEqualTo(hex(p5));
    assertThat(Proofs.verifyInclusion(t.hash(5, 6), 5, 8, p5, HEX.parseHex(ROOTS[8]))).isTrue();
  }

  @Test
  void consistencyProofsMatchTheReferenceVectors() {
    MemoryTree t = referenceTree();
    List<byte[]> p2 =
        unhex(
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    List<byte[]> p6 =
        unhex(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertThat(hex(Proofs.consistency(2, 8, t))).isEqualTo(hex(p2));
    assertThat(hex(Proofs.consistency(6, 8, t))).isEqualTo(hex(p6));
    assertThat(Proofs.verifyConsistency(2, 8, HEX.parseHex(ROOTS[2]), HEX.parseHex(ROOTS[8]), p2))
        .isTrue();
    assertThat(Proofs.verifyConsistency(6, 8, HEX.parseHex(ROOTS[6]), HEX.parseHex(ROOTS[8]), p6))
        .isTrue();
  }

  // ---- an independent, naive implementation of RFC 9162 §2.1, straight from the definitions ----

  private static byte[] naiveRoot(List<byte[]> leaves) {
    int n = leaves.size();
    if (n == 0) {
      return Hashes.emptyRoot();
    }
    if (n == 1) {
      return leaves.get(0);
    }
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return Hashes.node(naiveRoot(leaves.subList(0, k)), naiveRoot(leaves.subList(k, n)));
  }

  private static List<byte[]> naivePath(int m, List<byte[]> d) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (n == 1) {
      return out;
    }
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    if (m < k) {
      out.addAll(naivePath(m, d.subList(0, k)));
      out.add(naiveRoot(d.subList(k, n)));
    } else {
      out.addAll(naivePath(m - k, d.subList(k, n)));
      out.add(naiveRoot(d.subList(0, k)));
    }
    return out;
  }

  private static List<byte[]> naiveSubproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(naiveRoot(d));
      }
      return out;
    }
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    if (m <= k) {
      out.addAll(naiveSubproof(m, d.subList(0, k), b));
      out.add(naiveRoot(d.subList(k, n)));
    } else {
      out.addAll(naiveSubproof(m - k, d.subList(k, n), false));
      out.add(naiveRoot(d.subList(0, k)));
    }
    return out;
  }

  private static List<byte[]> randomLeaves(SplittableRandom rng, int n) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] e = new byte[1 + rng.nextInt(40)];
      rng.nextBytes(e);
      leaves.add(Hashes.leaf(e));
    }
    return leaves;
  }

  @Test
  void agreesWithTheNaiveImplementationOnGeneratedTrees() {
    SplittableRandom rng = new SplittableRandom(SEED);
    for (int round = 0; round < 30; round++) {
      int n = 1 + rng.nextInt(300);
      List<byte[]> leaves = randomLeaves(rng, n);
      MemoryTree t = new MemoryTree();
      leaves.forEach(t::append);
      for (int size = 0; size <= n; size += 1 + rng.nextInt(7)) {
        assertThat(t.root(size))
            .as("seed %d, root of %d", SEED, size)
            .isEqualTo(naiveRoot(leaves.subList(0, size)));
        if (size == 0) {
          continue;
        }
        int m = rng.nextInt(size);
        assertThat(hex(Proofs.inclusion(m, size, t)))
            .as("seed %d, path %d/%d", SEED, m, size)
            .isEqualTo(hex(naivePath(m, leaves.subList(0, size))));
        int first = 1 + rng.nextInt(size);
        List<byte[]> expected =
            first == size ? List.of() : naiveSubproof(first, leaves.subList(0, size), true);
        assertThat(hex(Proofs.consistency(first, size, t)))
            .as("seed %d, proof %d->%d", SEED, first, size)
            .isEqualTo(hex(expected));
      }
    }
  }

  @Test
  void everyProofVerifiesAndEveryMangledOneFailsForSizesUpTo64() {
    List<byte[]> leaves = randomLeaves(new SplittableRandom(SEED), 64);
    MemoryTree t = new MemoryTree();
    leaves.forEach(t::append);
    for (int n = 1; n <= 64; n++) {
      byte[] root = t.root(n);
      for (int i = 0; i < n; i++) {
        List<byte[]> proof = Proofs.inclusion(i, n, t);
        assertThat(Proofs.verifyInclusion(leaves.get(i), i, n, proof, root))
            .as("inclusion %d/%d", i, n)
            .isTrue();
        if (!proof.isEmpty()) {
          List<byte[]> flipped = new ArrayList<>(proof);
          byte[] b = flipped.get(0).clone();
          b[7] ^= 1;
          flipped.set(0, b);
          assertThat(Proofs.verifyInclusion(leaves.get(i), i, n, flipped, root)).isFalse();
          assertThat(
                  Proofs.verifyInclusion(
                      leaves.get(i), i, n, proof.subList(0, proof.size() - 1), root))
              .isFalse();
          List<byte[]> longer = new ArrayList<>(proof);
          longer.add(new byte[32]);
          assertThat(Proofs.verifyInclusion(leaves.get(i), i, n, longer, root)).isFalse();
        }
      }
      for (int m = 0; m <= n; m++) {
        List<byte[]> proof = Proofs.consistency(m, n, t);
        assertThat(Proofs.verifyConsistency(m, n, t.root(m), root, proof))
            .as("consistency %d->%d", m, n)
            .isTrue();
        if (!proof.isEmpty()) {
          List<byte[]> flipped = new ArrayList<>(proof);
          byte[] b = flipped.get(proof.size() - 1).clone();
          b[3] ^= (byte) 0x80;
          flipped.set(proof.size() - 1, b);
          assertThat(Proofs.verifyConsistency(m, n, t.root(m), root, flipped)).isFalse();
          assertThat(
                  Proofs.verifyConsistency(
                      m, n, t.root(m), root, proof.subList(0, proof.size() - 1)))
              .isFalse();
        }
        if (m > 0 && m < n) {
          assertThat(Proofs.verifyConsistency(m, n, t.root(m - 1), root, proof))
              .as("wrong first root")
              .isFalse();
        }
      }
    }
  }

  @Test
  void refusesProofsOutsideTheTree() {
    MemoryTree t = referenceTree();
    assertThatThrownBy(() -> Proofs.inclusion(8, 8, t))
        .hasMessage("leaf `8` is not in a tree of size `8`");
    assertThatThrownBy(() -> Proofs.consistency(5, 3, t))
        .hasMessage("no consistency proof from size `5` to `3`");
    assertThatThrownBy(() -> t.root(9)).hasMessageContaining("no tree of size `9`");
    assertThat(Proofs.verifyInclusion(new byte[31], 0, 8, List.of(), HEX.parseHex(ROOTS[8])))
        .isFalse();
    assertThat(
            Proofs.verifyConsistency(0, 8, Hashes.emptyRoot(), HEX.parseHex(ROOTS[8]), List.of()))
        .isTrue();
    assertThat(
            Proofs.verifyConsistency(
                8, 8, HEX.parseHex(ROOTS[8]), HEX.parseHex(ROOTS[7]), List.of()))
        .isFalse();
  }
}
