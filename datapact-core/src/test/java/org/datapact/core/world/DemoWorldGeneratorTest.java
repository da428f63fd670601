package org.datapact.core.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.datapact.core.party.PartyKind;
import org.datapact.core.security.SecretHasher;
import org.datapact.core.user.User;
import org.junit.jupiter.api.Test;

class DemoWorldGeneratorTest {
  private static final Set<String> EU = Set.of("DE", "FR", "IE", "ES", "IT", "NL", "PL", "SE");
  private final DemoWorldGenerator generator = new DemoWorldGenerator(new SecretHasher(10_000));

  private CollectingSink generate(long seed, int users) throws Exception {
    CollectingSink sink = new CollectingSink();
    generator.generate(new WorldSpec(seed, users), sink, ProgressListener.NONE);
    return sink;
  }

  @Test
  void sameSeedGeneratesTheSameWorld() throws Exception {
    assertThat(generate(42, 3_000).digest()).isEqualTo(generate(42, 3_000).digest());
  }

  @Test
  void differentSeedGeneratesADifferentWorld() throws Exception {
    assertThat(generate(42, 3_000).digest()).isNotEqualTo(generate(43, 3_000).digest());
  }

  @Test
  void sameSeedGivesTheSameCastAndClientSecrets() throws Exception {
    Cast a = generator.generate(new WorldSpec(7, 500), new CollectingSink(), ProgressListener.NONE);
    Cast b = generator.generate(new WorldSpec(7, 500), new CollectingSink(), ProgressListener.NONE);
    Cast c = generator.generate(new WorldSpec(8, 500), new CollectingSink(), ProgressListener.NONE);
    assertThat(a).isEqualTo(b);
    assertThat(a.clients().get(0).clientSecret()).isNotEqualTo(c.clients().get(0).clientSecret());
  }

  @Test
  void castHasAliceBobCarolAndDaveWithTheirCountries() throws Exception {
    CollectingSink sink = new CollectingSink();
    Cast cast = generator.generate(new WorldSpec(42, 1_000), sink, ProgressListener.NONE);
    assertThat(cast.users())
        .extracting(Cast.User::handle)
        .containsExactly("alice", "bob", "carol", "dave");
    assertThat(cast.users()).extracting(Cast.User::country).containsExactly("DE", "US", "BR", "FR");
    for (Cast.User u : cast.users()) {
      assertThat(sink.users.get(u.userId()).handle()).isEqualTo(u.handle());
    }
    assertThat(cast.staff())
        .extracting(s -> s.role().wireName())
        .contains("operator", "regulator", "partner");
  }

  @Test
  void daveIsAlicesFriendAndBobHasAStreamflixThread() throws Exception {
    CollectingSink sink = new CollectingSink();
    generator.generate(new WorldSpec(42, 1_000), sink, ProgressListener.NONE);
    assertThat(sink.threads)
        .anySatisfy(
            t -> {
              assertThat(t.participants()).contains(2L);
              assertThat(t.viaParty()).isEqualTo(DemoWorldGenerator.STREAMFLIX);
            });
    assertThat(sink.friends.get(1L)).contains(4L);
    assertThat(sink.friends.get(4L)).contains(1L);
    assertThat(sink.degree.get(1L)).isGreaterThan(5);
  }

  @Test
  void usersSpanTheUsTheEuAndAtLeastThreeOtherCountries() throws Exception {
    CollectingSink sink = generate(42, 5_000);
    Set<String> countries =
        sink.users.values().stream().map(u -> u.country().value()).collect(Collectors.toSet());
    assertThat(countries).contains("US");
    assertThat(countries.stream().filter(EU::contains).count()).isGreaterThanOrEqualTo(3);
    assertThat(countries.stream().filter(c -> !c.equals("US") && !EU.contains(c)).count())
        .isGreaterThanOrEqualTo(3);
    long us = sink.users.values().stream().filter(u -> u.country().value().equals("US")).count();
    assertThat(us).isBetween(1_300L, 2_100L);
  }

  @Test
  void friendGraphIsSymmetricAndHeavyTailed() throws Exception {
    CollectingSink sink = generate(42, 20_000);
    // every user befriends EDGES_PER_USER earlier users; each friendship is in two lists
    assertThat(sink.friendshipRows % 2).isZero();
    assertThat(sink.friendshipRows)
        .isEqualTo(2L * (15 + (20_000 - 6) * DemoWorldGenerator.EDGES_PER_USER));
    sink.friends.forEach(
        (u, fs) -> {
          for (long f : fs) {
            assertThat(sink.friends.get(f)).as("friendship %d-%d is mutual", u, f).contains(u);
          }
          assertThat(fs).isSorted().doesNotHaveDuplicates().doesNotContain(u);
        });
    List<Integer> degrees = new ArrayList<>(sink.degree.values());
    Collections.sort(degrees);
    int median = degrees.get(degrees.size() / 2);
    int max = degrees.get(degrees.size() - 1);
    assertThat(degrees).hasSize(20_000); // nobody is friendless
    assertThat(median).isBetween(5, 10);
    assertThat(max)
        .as("a power-law graph has hubs far above the median")
        .isGreaterThan(30 * median);
  }

  @Test
  void everyClientSecretIsStoredOnlyAsAHashThatVerifies() throws Exception {
    CollectingSink sink = new CollectingSink();
    Cast cast = generator.generate(new WorldSpec(42, 200), sink, ProgressListener.NONE);
    assertThat(cast.clients()).hasSize(6);
    assertThat(cast.clients()).filteredOn(c -> c.kind() == PartyKind.PARTNER).hasSize(3);
    for (int i = 0; i < cast.clients().size(); i++) {
      var stored = sink.clients.get(i);
      assertThat(stored.secretHash().encoded())
          .doesNotContain(cast.clients().get(i).clientSecret().revealForHashingOrDisplayOnce());
      assertThat(SecretHasher.verify(cast.clients().get(i).clientSecret(), stored.secretHash()))
          .isTrue();
    }
  }

  @Test
  void messagesBelongToThreadsTheirSenderIsIn() throws Exception {
    CollectingSink sink = generate(42, 2_000);
    var participants =
        sink.threads.stream().collect(Collectors.toMap(InboxThread::id, t -> t.participants()));
    assertThat(sink.messages)
        .isNotEmpty()
        .allSatisfy(m -> assertThat(participants.get(m.threadId())).contains(m.senderId()));
    assertThat(sink.users.values()).extracting(User::handle).doesNotHaveDuplicates();
  }

  @Test
  void rejectsAWorldTooSmallForTheCast() {
    assertThatThrownBy(() -> new WorldSpec(1, 10)).hasMessageContaining("between 100");
  }
}
