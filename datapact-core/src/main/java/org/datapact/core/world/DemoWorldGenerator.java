package org.datapact.core.world;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.datapact.core.DataPactException;
import org.datapact.core.party.ClientCredential;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.security.Secret;
import org.datapact.core.security.SecretHasher;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.User;
import org.datapact.core.user.UserId;
import org.jspecify.annotations.Nullable;

/**
 * Builds the demo world of DESIGN.md "The demo world", deterministically from a seed: the
 * platform's partners and units with OAuth2 clients, console accounts, users across the US, the EU
 * and other countries, a power-law friend graph, and inbox threads with messages, some of them
 * recommendations sent through a partner's app.
 *
 * <p>The friend graph follows the Barabási–Albert preferential-attachment model (Barabási and
 * Albert, "Emergence of scaling in random networks", Science 286, 1999): every new user befriends
 * {@value #EDGES_PER_USER} existing users chosen with probability proportional to their degree,
 * which gives the heavy-tailed degree distribution of real social graphs. The earliest users — the
 * cast — become hubs.
 *
 * <p>Every section draws from its own random stream ({@link Seeds}), so a later section (the
 * agreement timeline, consents, ads data) can be added without changing what the earlier ones
 * generate. Memory is about 40 bytes per friendship; the output is streamed to the sink in batches,
 * friendships as one ascending friend list per user.
 *
 * <p>Why one class of about 500 lines: each section (users, friendships, inbox, consents) draws
 * from its own random stream in a fixed order, and that order is the world's identity; one class
 * keeps the order visible.
 */
public final class DemoWorldGenerator {
  /** Bumped whenever the same seed would generate a different world. */
  public static final int VERSION = 5;

  /** Friendships each new user makes in the preferential-attachment graph. */
  public static final int EDGES_PER_USER = 5;

  static final PartyId STREAMFLIX = PartyId.of("streamflix");
  static final PartyId TUNELY = PartyId.of("tunely");
  static final PartyId SEEKR = PartyId.of("seekr");

  private static final int BATCH = 10_000;
  private static final long EPOCH_2011 =
      ZonedDateTime.of(2011, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond();
  private static final long EPOCH_2020 =
      ZonedDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond();

  private static final List<Party> PARTIES =
      List.of(
          new Party(
              STREAMFLIX,
              PartyKind.PARTNER,
              "Streamflix",
              "Video streaming service; Extended API partner"),
          new Party(
              TUNELY,
              PartyKind.PARTNER,
              "Tunely",
              "Music streaming service; messaging integration partner"),
          new Party(SEEKR, PartyKind.PARTNER, "Seekr", "Search engine; asks for friends lists"),
          new Party(
              PartyId.of("ads"),
              PartyKind.UNIT,
              "Ads",
              "The platform's ad targeting and measurement unit"),
          new Party(
              PartyId.of("watch"),
              PartyKind.UNIT,
              "Watch",
              "The platform's own video product, a Streamflix competitor"),
          new Party(
              PartyId.of("ranking"),
              PartyKind.UNIT,
              "Ranking",
              "The platform's feed ranking models"));

  private record CastSpec(String handle, String displayName, String country, String demonstrates) {}

  private static final List<CastSpec> CAST_USERS =
      List.of(
          new CastSpec(
              "alice",
              "Alice Martin",
              "DE",
              "EU user who consents to streamflix for recommendations; friend of dave"),
          new CastSpec(
              "bob",
              "Bob Walker",
              "US",
              "US user who consents to streamflix but has not given the US video-sharing consent"),
          new CastSpec("carol", "Carol Souza", "BR", "user who consents to no one"),
          new CastSpec(
              "dave",
              "Dave Moreau",
              "FR",
              "alice's friend who has not consented to streamflix: never visible through alice"));

  private static final List<Cast.Staff> CAST_STAFF =
      List.of(
          new Cast.Staff(
              "oscar",
              "Oscar Okafor",
              ConsoleRole.OPERATOR,
              null,
              "platform operator: registers partners, drafts and approves agreements"),
          new Cast.Staff(
              "olga",
              "Olga Lindqvist",
              ConsoleRole.OPERATOR,
              null,
              "second operator, for two-person approval"),
          new Cast.Staff(
              "mina",
              "Mina Chen",
              ConsoleRole.OPERATOR,
              null,
              "third operator: an approval needs two people who did not draft the version"),
          new Cast.Staff(
              "rowan",
              "Rowan Vale",
              ConsoleRole.OPERATOR,
              null,
              "platform board member who also leads streamflix: the interest is declared, so"
                  + " rowan is recused from approving streamflix's agreements"),
          new Cast.Staff(
              "rita",
              "Rita Novak",
              ConsoleRole.REGULATOR,
              null,
              "regulator: reads compliance reports and verifies the log"),
          new Cast.Staff(
              "sam", "Sam Reyes", ConsoleRole.PARTNER, STREAMFLIX, "streamflix's partner manager"),
          new Cast.Staff(
              "tess", "Tess Park", ConsoleRole.PARTNER, TUNELY, "tunely's partner manager"),
          new Cast.Staff(
              "sid", "Sid Banerjee", ConsoleRole.PARTNER, SEEKR, "seekr's partner manager"));

  /** Country codes and their weights: a third US, a third EU, the rest elsewhere. */
  private static final String[] COUNTRIES = {
    "US", "DE", "FR", "IE", "ES", "IT", "NL", "PL", "SE", "GB", "BR", "IN", "JP", "CA", "MX", "NG"
  };

  private static final int[] COUNTRY_WEIGHTS = {34, 8, 7, 2, 5, 5, 3, 4, 2, 6, 8, 7, 3, 3, 2, 1};

  private static final String[] FIRST = {
    "Ada", "Ben", "Chloe", "Daniel", "Elena", "Felix", "Grace", "Hugo", "Ines", "Jonas", "Kira",
        "Liam",
    "Maya", "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Samuel", "Tara", "Umar", "Vera", "Wei",
        "Ximena",
    "Yusuf", "Zoe", "Aiko", "Bruno", "Chiara", "Diego", "Emma", "Farah", "Giulia", "Hannah", "Ivan",
        "Jana",
    "Kofi", "Lucia", "Mateo", "Nadia", "Oskar", "Priya", "Rafael", "Sofia", "Tomas", "Uma",
        "Viktor", "Yara"
  };
  private static final String[] LAST = {
    "Smith",
    "Müller",
    "Dubois",
    "Kowalski",
    "Rossi",
    "Garcia",
    "Jansen",
    "Nilsson",
    "Murphy",
    "Silva",
    "Sharma",
    "Tanaka",
    "Tremblay",
    "Hernandez",
    "Okoye",
    "Brown",
    "Schmidt",
    "Lefevre",
    "Nowak",
    "Bianchi",
    "Lopez",
    "De Vries",
    "Berg",
    "Kelly",
    "Santos",
    "Patel",
    "Sato",
    "Roy",
    "Ramirez",
    "Adeyemi",
    "Wilson",
    "Fischer",
    "Moreau",
    "Wozniak",
    "Ricci",
    "Martinez",
    "Visser",
    "Lund",
    "Byrne",
    "Costa"
  };
  private static final String[] TITLES = {
    "The Quiet Harbour", "Night Circuit", "Paper Kingdoms", "Salt and Static", "The Long Signal",
    "Glass Orchard", "Midnight Ledger", "Northern Drift", "A Field of Wires", "Small Hours"
  };
  private static final String[] CHAT = {
    "are we still on for saturday?",
    "did you see the game last night?",
    "sending the photos now",
    "happy birthday!",
    "can you call me later?",
    "that recipe worked, thanks",
    "running ten minutes late",
    "what time is the meeting?",
    "loved the pictures from your trip",
    "see you at the station"
  };

  private final SecretHasher hasher;

  /**
   * @param hasher hashes the generated client secrets before they reach the sink
   */
  public DemoWorldGenerator(SecretHasher hasher) {
    this.hasher = hasher;
  }

  /**
   * Generates the world described by {@code spec} into {@code sink}.
   *
   * @return the cast: who to log in as and the demo client credentials
   * @throws DataPactException if the sink fails
   */
  public Cast generate(WorldSpec spec, WorldSink sink, ProgressListener progress)
      throws DataPactException {
    Cast cast = cast(spec);
    List<Cast.Client> clients = cast.clients();
    sink.parties(PARTIES);
    List<ClientCredential> hashed = new ArrayList<>();
    clients.parallelStream()
        .map(c -> new ClientCredential(c.clientId(), c.party(), hasher.hash(c.clientSecret())))
        .forEachOrdered(hashed::add);
    sink.clients(hashed);
    sink.consoleAccounts(
        CAST_STAFF.stream()
            .map(s -> new ConsoleAccount(s.handle(), s.displayName(), s.role(), s.party()))
            .toList());

    byte[] countries = users(spec, sink, progress);
    Graph graph =
        Graph.preferentialAttachment(
            spec.users(), EDGES_PER_USER, Seeds.stream(spec.seed(), "friends"));
    friendships(graph, sink, progress);
    inbox(spec, graph, sink, progress);
    sink.agreements(DemoPolicy.agreements());
    consents(spec, countries, sink, progress);
    ads(spec, countries, sink, progress);
    sink.interests(DemoPolicy.interests());
    sink.approvals(DemoPolicy.approvals());
    return cast;
  }

  /**
   * The cast of the world {@code spec} without generating the world: what {@link #generate} returns
   * for the same spec.
   */
  public Cast cast(WorldSpec spec) {
    List<Cast.User> users = new ArrayList<>();
    for (int i = 0; i < CAST_USERS.size(); i++) {
      CastSpec c = CAST_USERS.get(i);
      users.add(new Cast.User(c.handle(), i + 1, c.displayName(), c.country(), c.demonstrates()));
    }
    return new Cast(spec.seed(), spec.users(), VERSION, users, CAST_STAFF, clients(spec.seed()));
  }

  private static List<Cast.Client> clients(long seed) {
    List<Cast.Client> out = new ArrayList<>();
    for (Party p : PARTIES) {
      String clientId = p.id().value() + "-" + (p.kind() == PartyKind.PARTNER ? "app" : "service");
      out.add(new Cast.Client(p.id(), p.kind(), clientId, demoSecret(seed, clientId)));
    }
    return out;
  }

  /**
   * Demo secrets are a keyed hash of the client id under a key derived from the seed, so that the
   * same seed gives the same cast file. They are for the demo only: a server started with {@code
   * serve} never creates them.
   */
  private static Secret demoSecret(long seed, String clientId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Seeds.derive(seed, "demo-client-secret-key"), "HmacSHA256"));
      byte[] raw = mac.doFinal(clientId.getBytes(StandardCharsets.UTF_8));
      return Secret.of("dps_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e); // INVARIANT: every JDK has it
    }
  }

  /**
   * The demo's partner-scoped ids: derived from the seed, like the demo secrets, so the cast file
   * can list each cast member's id per partner. A server started with {@code serve} uses a random
   * key kept in its data directory instead.
   */
  public static org.datapact.core.party.PartnerIds partnerIds(long seed) {
    return new org.datapact.core.party.PartnerIds(Seeds.derive(seed, "partner-id-key"));
  }

  /** Writes the users; returns each user's index into {@link #COUNTRIES} (cast users too). */
  private static byte[] users(WorldSpec spec, WorldSink sink, ProgressListener progress)
      throws DataPactException {
    byte[] countryOf = new byte[spec.users() + 1];
    SplittableRandom rng = Seeds.stream(spec.seed(), "users");
    int totalWeight = Arrays.stream(COUNTRY_WEIGHTS).sum();
    List<User> batch = new ArrayList<>(BATCH);
    for (long id = 1; id <= spec.users(); id++) {
      User u;
      if (id <= CAST_USERS.size()) {
        CastSpec c = CAST_USERS.get((int) id - 1);
        u = new User(UserId.of(id), c.handle(), c.displayName(), CountryCode.of(c.country()));
      } else {
        String first = FIRST[rng.nextInt(FIRST.length)];
        String last = LAST[rng.nextInt(LAST.length)];
        String handle =
            (first + "." + last.replace(" ", "").replace("ü", "ue"))
                    .toLowerCase(java.util.Locale.ROOT)
                + "."
                + id;
        u =
            new User(
                UserId.of(id),
                handle,
                first + " " + last,
                CountryCode.of(pickCountry(rng, totalWeight)));
      }
      batch.add(u);
      countryOf[(int) id] = (byte) java.util.Arrays.asList(COUNTRIES).indexOf(u.country().value());
      if (batch.size() == BATCH) {
        sink.users(batch);
        batch = new ArrayList<>(BATCH);
        progress.progress("users", id, spec.users());
      }
    }
    if (!batch.isEmpty()) {
      sink.users(batch);
    }
    progress.progress("users", spec.users(), spec.users());
    return countryOf;
  }

  private static final java.util.Set<String> EU =
      org.datapact.core.jurisdiction.Jurisdictions.EU_MEMBERS;

  private static void consents(
      WorldSpec spec, byte[] countryOf, WorldSink sink, ProgressListener progress)
      throws DataPactException {
    SplittableRandom rng = Seeds.stream(spec.seed(), "consents");
    SplittableRandom adRng = Seeds.stream(spec.seed(), "ad-consents");
    List<org.datapact.core.consent.ConsentChange> batch =
        new ArrayList<>(DemoPolicy.castConsents());
    for (int id = CAST_USERS.size() + 1; id <= spec.users(); id++) {
      String country = COUNTRIES[countryOf[id]];
      DemoPolicy.userConsents(id, EU.contains(country), country.equals("US"), rng, batch);
      DemoPolicy.adConsents(id, adRng, batch);
      if (batch.size() >= BATCH) {
        sink.consents(batch);
        batch = new ArrayList<>(BATCH + 16);
        progress.progress("consents", id, spec.users());
      }
    }
    if (!batch.isEmpty()) {
      sink.consents(batch);
    }
    progress.progress("consents", spec.users(), spec.users());
  }

  private static final org.datapact.core.jurisdiction.Jurisdictions RULES =
      org.datapact.core.jurisdiction.Jurisdictions.standard();

  /**
   * The ads section (its own random streams): every user's age band and interests; streamflix's
   * viewing signals from August 2017, when its ad-targeting exchange began; the advertisers and the
   * campaigns of 2012–2019.
   */
  private static void ads(
      WorldSpec spec, byte[] countryOf, WorldSink sink, ProgressListener progress)
      throws DataPactException {
    SplittableRandom rng = Seeds.stream(spec.seed(), "ads");
    List<UserAttributes> attributes = new ArrayList<>(BATCH);
    List<ViewingSignal> signals = new ArrayList<>(BATCH);
    long exchangeBegan = ZonedDateTime.of(2017, 8, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond();
    org.datapact.core.ads.AgeBand[] bands = org.datapact.core.ads.AgeBand.values();
    org.datapact.core.ads.Genre[] genres = org.datapact.core.ads.Genre.values();
    int[] bandWeights = {6, 22, 26, 18, 13, 9, 6};
    for (int id = 1; id <= spec.users(); id++) {
      int r = rng.nextInt(100);
      int band = 0;
      while (r >= bandWeights[band]) {
        r -= bandWeights[band];
        band++;
      }
      int interests = 0;
      for (org.datapact.core.ads.Interest i : org.datapact.core.ads.Interest.values()) {
        if (rng.nextDouble() < 0.22) {
          interests |= i.bit();
        }
      }
      attributes.add(new UserAttributes(id, bands[band], interests));
      if (rng.nextDouble() < 0.45) {
        org.datapact.core.jurisdiction.RuleSetId rs =
            RULES.of(org.datapact.core.user.CountryCode.of(COUNTRIES[countryOf[id]])).ruleSetId();
        int n = 1 + rng.nextInt(3);
        int first = rng.nextInt(genres.length);
        for (int g = 0; g < n; g++) {
          // the first signal comes with the exchange's first weeks, later ones over its years
          long at = exchangeBegan + rng.nextLong(g == 0 ? 5_184_000L : EPOCH_2020 - exchangeBegan);
          signals.add(
              new ViewingSignal(
                  STREAMFLIX,
                  id,
                  genres[(first + g) % genres.length],
                  rs,
                  Instant.ofEpochSecond(at)));
        }
      }
      if (attributes.size() == BATCH) {
        sink.attributes(attributes);
        attributes = new ArrayList<>(BATCH);
        progress.progress("ads", id, spec.users());
      }
      if (signals.size() >= BATCH) {
        sink.signals(signals);
        signals = new ArrayList<>(BATCH);
      }
    }
    if (!attributes.isEmpty()) {
      sink.attributes(attributes);
    }
    if (!signals.isEmpty()) {
      sink.signals(signals);
    }
    sink.advertisers(DemoAds.advertisers());
    sink.campaigns(DemoAds.campaigns(Seeds.stream(spec.seed(), "campaigns")));
    progress.progress("ads", spec.users(), spec.users());
  }

  private static String pickCountry(SplittableRandom rng, int totalWeight) {
    int r = rng.nextInt(totalWeight);
    for (int i = 0; i < COUNTRIES.length; i++) {
      r -= COUNTRY_WEIGHTS[i];
      if (r < 0) {
        return COUNTRIES[i];
      }
    }
    throw new AssertionError("weights exhausted"); // INVARIANT: r < totalWeight
  }

  private static void friendships(Graph graph, WorldSink sink, ProgressListener progress)
      throws DataPactException {
    List<FriendList> batch = new ArrayList<>(BATCH);
    for (int u = 1; u <= graph.users(); u++) {
      int from = graph.offset(u);
      long[] friends = new long[graph.offset(u + 1) - from];
      for (int i = 0; i < friends.length; i++) {
        friends[i] = graph.neighbour(from + i);
      }
      batch.add(new FriendList(u, friends));
      if (batch.size() == BATCH) {
        sink.friendLists(batch);
        batch = new ArrayList<>(BATCH);
        progress.progress("friendships", u, graph.users());
      }
    }
    if (!batch.isEmpty()) {
      sink.friendLists(batch);
    }
    progress.progress("friendships", graph.users(), graph.users());
  }

  private static void inbox(WorldSpec spec, Graph graph, WorldSink sink, ProgressListener progress)
      throws DataPactException {
    SplittableRandom rng = Seeds.stream(spec.seed(), "inbox");
    List<InboxThread> threads = new ArrayList<>(BATCH);
    List<Message> messages = new ArrayList<>(BATCH);
    long[] ids = {0, 0}; // next thread id, next message id
    // The cast's threads come first: bob has a streamflix recommendation from alice in his inbox,
    // and a thread no app took part in.
    addThread(rng, ids, threads, messages, new long[] {1, 4}, null, "weekend plans");
    addThread(
        rng, ids, threads, messages, new long[] {1, 2}, STREAMFLIX, "a recommendation for you");
    addThread(rng, ids, threads, messages, new long[] {2, 3}, null, "dinner?");
    for (int u = 1; u <= graph.users(); u++) {
      int degree = graph.offset(u + 1) - graph.offset(u);
      if (degree == 0 || rng.nextDouble() >= 0.3) {
        continue;
      }
      int others = rng.nextDouble() < 0.8 || degree < 2 ? 1 : 2;
      long[] participants = new long[others + 1];
      participants[0] = u;
      for (int k = 1; k <= others; k++) {
        long f;
        do {
          f = graph.neighbour(graph.offset(u) + rng.nextInt(degree));
        } while (contains(participants, k, f));
        participants[k] = f;
      }
      Arrays.sort(participants);
      double via = rng.nextDouble();
      PartyId viaParty = via < 0.06 ? STREAMFLIX : via < 0.10 ? TUNELY : null;
      addThread(rng, ids, threads, messages, participants, viaParty, null);
      if (threads.size() >= BATCH) {
        sink.threads(threads);
        threads = new ArrayList<>(BATCH);
        progress.progress("inbox", u, graph.users());
      }
      if (messages.size() >= BATCH) {
        sink.messages(messages);
        messages = new ArrayList<>(BATCH);
      }
    }
    if (!threads.isEmpty()) {
      sink.threads(threads);
    }
    if (!messages.isEmpty()) {
      sink.messages(messages);
    }
    progress.progress("inbox", graph.users(), graph.users());
  }

  private static boolean contains(long[] a, int n, long v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }

  private static void addThread(
      SplittableRandom rng,
      long[] ids,
      List<InboxThread> threads,
      List<Message> messages,
      long[] participants,
      @Nullable PartyId viaParty,
      @Nullable String fixedSubject) {
    long threadId = ++ids[0];
    long t = EPOCH_2011 + rng.nextLong(EPOCH_2020 - EPOCH_2011);
    String title = TITLES[rng.nextInt(TITLES.length)];
    String subject =
        fixedSubject != null
            ? fixedSubject
            : viaParty != null ? "Recommended: " + title : CHAT[rng.nextInt(CHAT.length)];
    threads.add(
        new InboxThread(threadId, subject, viaParty, Instant.ofEpochSecond(t), participants));
    int count = 1 + rng.nextInt(4);
    for (int m = 0; m < count; m++) {
      long sender = participants[m % participants.length];
      String body;
      PartyId msgVia = null;
      if (m == 0 && viaParty != null) {
        body = "I watched \"" + title + "\" on " + viaParty + " and think you'd like it";
        msgVia = viaParty;
      } else {
        body = CHAT[rng.nextInt(CHAT.length)];
      }
      messages.add(new Message(++ids[1], threadId, sender, Instant.ofEpochSecond(t), body, msgVia));
      t += 60 + rng.nextInt(86_400);
    }
  }
}
