package org.datapact.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.datapact.core.ads.AgeBand;
import org.datapact.core.ads.Audience;
import org.datapact.core.ads.AudienceIndex;
import org.datapact.core.ads.BidKind;
import org.datapact.core.ads.Campaign;
import org.datapact.core.ads.DeliverySimulator;
import org.datapact.core.ads.Genre;
import org.datapact.core.ads.Interest;
import org.datapact.core.ads.Predicate;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.datapact.core.world.ProgressListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.PGConnection;

/**
 * Segments over {@code users} users (10,000,000 by default): the same three-predicate audience
 * (interest film AND age 25–34 AND watched streamflix drama, limited to users consenting to ad
 * targeting by the platform and by streamflix), computed by DataPact's audience index with its
 * labels, and by SQL on PostgreSQL over normalised tables with an index per predicate — the peer a
 * team would write first — returning the same user ids; plus one simulated day of {@code
 * impressions} impressions. The population is drawn from a fixed seed; setup checks that both sides
 * agree on the audience before anything is timed, and prints the index's size in memory.
 *
 * <p>{@code -p pgUrl=jdbc:postgresql://127.0.0.1:5432/test?user=postgres}; {@code -p pgUrl=none}
 * skips the peer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx12g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SegmentBenchmark {
  private static final PartyId STREAMFLIX = PartyId.of("streamflix");
  private static final String[] COUNTRIES = {"US", "DE", "FR", "GB", "BR", "IN", "JP", "ES"};

  @Param("10000000")
  public int users;

  @Param("jdbc:postgresql://127.0.0.1:5432/test?user=postgres")
  public String pgUrl = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @Param("10000000")
  public int impressions;

  private AudienceIndex index;
  private Predicate segment;
  private Instant now;
  private @org.jspecify.annotations.Nullable Connection pg;
  private @org.jspecify.annotations.Nullable PreparedStatement peer;
  private List<Campaign> campaigns;

  @Setup(Level.Trial)
  public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) throws Exception {
    now = Instant.parse("2026-12-01T00:00:00Z");
    index = new AudienceIndex(Jurisdictions.standard());
    segment =
        new Predicate.All(
            List.of(
                new Predicate.HasInterest(Interest.FILM),
                new Predicate.InAgeBand(AgeBand.ADULT_25),
                new Predicate.Watched(STREAMFLIX, Genre.DRAMA)));
    // the peer's tables take minutes to load: only the SQL trial (each trial is its own fork) needs
    // them, and it checks that both sides agree before timing
    boolean withPeer = !pgUrl.equals("none") && params.getBenchmark().endsWith("sqlSegment");
    Connection conn = withPeer ? DriverManager.getConnection(pgUrl) : null;
    pg = conn;
    if (conn != null) {
      try (Statement st = conn.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS segbench CASCADE");
        st.execute("CREATE SCHEMA segbench");
        st.execute(
            "CREATE TABLE segbench.app_user (id INT PRIMARY KEY, country CHAR(2), age_band SMALLINT)");
        st.execute("CREATE TABLE segbench.interest (user_id INT, interest SMALLINT)");
        st.execute(
            "CREATE TABLE segbench.signal (user_id INT, partner VARCHAR(32), genre SMALLINT)");
        st.execute("CREATE TABLE segbench.consent (user_id INT, party VARCHAR(32))");
      }
    }
    SplittableRandom rng = new SplittableRandom(20261203L);
    StringBuilder u = new StringBuilder();
    StringBuilder in = new StringBuilder();
    StringBuilder sg = new StringBuilder();
    StringBuilder cs = new StringBuilder();
    for (int id = 1; id <= users; id++) {
      String country = COUNTRIES[rng.nextInt(COUNTRIES.length)];
      AgeBand band = AgeBand.values()[rng.nextInt(AgeBand.values().length)];
      int interests = 0;
      for (Interest i : Interest.values()) {
        if (rng.nextDouble() < 0.22) {
          interests |= i.bit();
          in.append(id).append(',').append(i.ordinal()).append('\n');
        }
      }
      index.addUser(id, CountryCode.of(country), band, interests);
      u.append(id).append(',').append(country).append(',').append(band.ordinal()).append('\n');
      if (rng.nextDouble() < 0.45) {
        int n = 1 + rng.nextInt(3);
        int first = rng.nextInt(Genre.values().length);
        for (int g = 0; g < n; g++) {
          Genre genre = Genre.values()[(first + g) % Genre.values().length];
          index.watched(STREAMFLIX, id, genre);
          sg.append(id).append(",streamflix,").append(genre.ordinal()).append('\n');
        }
      }
      if (rng.nextDouble() < 0.55) {
        index.consent(grant(id, PolicySnapshot.PLATFORM));
        cs.append(id).append(",platform\n");
      }
      if (rng.nextDouble() < 0.4) {
        index.consent(grant(id, STREAMFLIX));
        cs.append(id).append(",streamflix\n");
      }
      if (conn != null && (id % 500_000 == 0 || id == users)) {
        copy(conn, "segbench.app_user (id, country, age_band)", u);
        copy(conn, "segbench.interest (user_id, interest)", in);
        copy(conn, "segbench.signal (user_id, partner, genre)", sg);
        copy(conn, "segbench.consent (user_id, party)", cs);
      }
      if (conn == null && u.length() > 1_000_000) {
        u.setLength(0);
        in.setLength(0);
        sg.setLength(0);
        cs.setLength(0);
      }
    }
    index.optimise();
    System.out.printf(
        "%naudience index: %,d users in %,d bytes of bitmaps (%.1f bytes per user)%n",
        users, index.sizeInBytes(), index.sizeInBytes() / (double) users);
    if (conn != null) {
      try (Statement st = conn.createStatement()) {
        st.execute("CREATE INDEX ON segbench.app_user (age_band, id)");
        st.execute("CREATE INDEX ON segbench.interest (interest, user_id)");
        st.execute("CREATE INDEX ON segbench.signal (partner, genre, user_id)");
        st.execute("CREATE INDEX ON segbench.consent (party, user_id)");
        st.execute("ANALYZE");
      }
      PreparedStatement q =
          conn.prepareStatement(
              "SELECT u.id FROM segbench.app_user u"
                  + " JOIN segbench.interest i ON i.user_id = u.id AND i.interest = ?"
                  + " JOIN segbench.signal s ON s.user_id = u.id AND s.partner = 'streamflix'"
                  + " AND s.genre = ?"
                  + " JOIN segbench.consent p ON p.user_id = u.id AND p.party = 'platform'"
                  + " JOIN segbench.consent c ON c.user_id = u.id AND c.party = 'streamflix'"
                  + " WHERE u.age_band = ?");
      q.setInt(1, Interest.FILM.ordinal());
      q.setInt(2, Genre.DRAMA.ordinal());
      q.setInt(3, AgeBand.ADULT_25.ordinal());
      peer = q;
      int[] sql = sqlAudience(q);
      int[] ours = index.audience(segment, now).members().toArray();
      if (!java.util.Arrays.equals(sql, ours)) {
        throw new IllegalStateException(
            "the peer disagrees: " + sql.length + " users by SQL, " + ours.length + " by bitmaps");
      }
      System.out.printf("both sides agree on an audience of %,d users%n", ours.length);
    }
    campaigns = new ArrayList<>();
    for (int c = 1; c <= 60; c++) {
      Predicate p =
          c % 3 == 0
              ? new Predicate.Watched(STREAMFLIX, Genre.values()[c % 8])
              : new Predicate.All(
                  List.of(
                      new Predicate.HasInterest(Interest.values()[c % 12]),
                      new Predicate.InCountry(CountryCode.of(COUNTRIES[c % 8]))));
      campaigns.add(
          new Campaign(
              c,
              c % 3 == 0 ? STREAMFLIX : PartyId.of("brand" + c),
              "c" + c,
              1_000_000_000_00L,
              c % 2 == 0 ? BidKind.CPM : BidKind.CPC,
              100 + c * 10,
              LocalDate.parse("2026-01-01"),
              LocalDate.parse("2026-12-31"),
              p));
    }
  }

  private static ConsentChange grant(long user, PartyId party) {
    return ConsentChange.grant(
        UserId.of(user),
        party,
        ConsentTopic.of(Purpose.AD_TARGETING),
        Instant.parse("2020-01-01T00:00:00Z"),
        null,
        ConsentBasis.EXPLICIT,
        "bench");
  }

  private static void copy(Connection pg, String table, StringBuilder rows)
      throws SQLException, IOException {
    try (Reader r = new StringReader(rows.toString())) {
      pg.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv)", r);
    }
    rows.setLength(0);
  }

  private static int[] sqlAudience(PreparedStatement q) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    Connection conn = pg;
    if (conn != null) {
      try (Statement st = conn.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS segbench CASCADE");
      }
      conn.close();
    }
  }

  /** DataPact: the audience with its consent and labels (what a segment build or estimate does). */
  @Benchmark
  public Audience bitmapSegment() {
    return index.audience(segment, now);
  }

  /** The peer: the same audience's ids by SQL on PostgreSQL. */
  @Benchmark
  public int[] sqlSegment() throws SQLException {
    PreparedStatement q = peer;
    return q == null ? new int[0] : sqlAudience(q);
  }

  /** One simulated day of {@code impressions} impressions for 60 campaigns. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public DeliverySimulator.Summary simulateOneDay() throws Exception {
    LocalDate day = LocalDate.parse("2026-06-01");
    return new DeliverySimulator(index, List.of(), campaigns, (c, a, at) -> null)
        .run(
            day,
            day,
            new DeliverySimulator.Settings(7, impressions, 1),
            (d, offered, rows, refused) -> {},
            ProgressListener.NONE);
  }
}
