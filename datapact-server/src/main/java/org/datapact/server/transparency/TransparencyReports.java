package org.datapact.server.transparency;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.agreement.ReportPeriod;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.transparency.Cell;
import org.datapact.core.transparency.DiscreteLaplace;
import org.datapact.core.transparency.Epsilon;
import org.datapact.core.transparency.PrivacyBudget;
import org.datapact.core.transparency.Publication;
import org.datapact.ledger.log.LogReader;
import org.datapact.server.ledger.AuditTrail;
import org.datapact.store.Database;
import org.datapact.store.transparency.TransparencyStore;
import org.jspecify.annotations.Nullable;

/**
 * Publishes the transparency report: the partner releases of a period counted from the ledger
 * ({@link ReleaseCounter}), noised and suppressed ({@link Publication}) under the year's privacy
 * budget, the release ledgered ({@code transparency_published}, with the epsilon it spent and the
 * SHA-256 of the published cells) before it is stored and shown. Used by the server's operators
 * ({@code POST /api/v1/transparency/releases}) and by {@code datapact report transparency}; one
 * writer at a time, since the ledger has one.
 */
public final class TransparencyReports {
  /** Epsilon of a release when none is asked for. */
  public static final Epsilon DEFAULT_EPSILON = Epsilon.parse("0.25");

  /** The privacy budget of one calendar year. */
  public static final PrivacyBudget BUDGET = new PrivacyBudget(Epsilon.parse("1"));

  /**
   * The smallest noisy count ever published; a release's own threshold is higher when its epsilon
   * is small ({@link Publication#threshold}).
   */
  public static final int MIN_THRESHOLD = 20;

  /** The mechanism, as releases name it. */
  public static final String MECHANISM =
      "discrete Laplace (two-sided geometric) noise, sampled exactly (Canonne, Kamath and Steinke,"
          + " NeurIPS 2020), sensitivity 1 per release, from a SecureRandom";

  private final Database db;
  private final AuditTrail audit;
  private final ObjectMapper mapper;
  private final RandomGenerator random;
  private final Object lock = new Object();

  /**
   * @param random the noise's source: a {@link SecureRandom} outside tests
   */
  public TransparencyReports(
      Database db, AuditTrail audit, ObjectMapper mapper, RandomGenerator random) {
    this.db = db;
    this.audit = audit;
    this.mapper = mapper;
    this.random = random;
  }

  /**
   * @return reports with noise from a {@link SecureRandom}
   */
  public static TransparencyReports secure(Database db, AuditTrail audit, ObjectMapper mapper) {
    return new TransparencyReports(db, audit, mapper, new SecureRandom());
  }

  /** Counts the other nodes' shards (several nodes on one database). */
  @FunctionalInterface
  public interface OtherShards {
    /**
     * @param others the other shards' origins
     * @return their exact counts of {@code [from, until)}, added up
     * @throws DataPactException conflict when a shard's node is not running, unavailable when they
     *     do not answer in time
     */
    ReleaseCounter.Counts count(List<String> others, Instant from, Instant until)
        throws DataPactException;
  }

  private @Nullable OtherShards otherShards;

  /**
   * Counts the other nodes' shards with {@code others} when there are any (the server); without it
   * (the CLI) publishing is refused while other shards exist.
   *
   * @return this
   */
  public TransparencyReports acrossShards(OtherShards others) {
    this.otherShards = others;
    return this;
  }

  /**
   * @return the exact release counts of {@code [from, until)} in {@code audit}'s ledger (this
   *     node's shard)
   */
  static ReleaseCounter.Counts countShard(AuditTrail audit, Instant from, Instant until)
      throws IOException {
    long size = audit.ledger().log().size();
    try (LogReader log = LogReader.open(audit.ledger().directory().resolve("log"))) {
      return ReleaseCounter.count(
          log,
          audit.ledger().subjects(),
          from,
          until,
          Math.min(size, log.size()),
          Runtime.getRuntime().availableProcessors());
    }
  }

  /** One published cell. */
  public record Row(String partner, String scope, String purpose, String country, long releases) {}

  /** A year's budget. */
  public record Budget(int year, String total, String spent, String remaining) {}

  /**
   * A published release.
   *
   * @param complete whether the period had ended when it was counted
   * @param logSize how many ledger entries were counted
   */
  public record Release(
      String id,
      String period,
      boolean complete,
      String epsilon,
      int threshold,
      String mechanism,
      Instant publishedAt,
      String publishedBy,
      long logSize,
      long ledgerIndex,
      String cellsSha256,
      long total,
      List<Row> cells) {}

  /**
   * @return the countries of the report's domain: ISO 3166-1 alpha-2 codes and {@code ZZ}
   */
  static List<String> countries() {
    TreeSet<String> c = new TreeSet<>(Arrays.asList(Locale.getISOCountries()));
    c.add(Cell.UNKNOWN_COUNTRY);
    return List.copyOf(c);
  }

  /**
   * Publishes the report of {@code periodText} at {@code now}.
   *
   * @param epsilonText the epsilon to spend, or null for the default
   * @throws DataPactException invalid input for a bad period or epsilon, a conflict when the budget
   *     would be exceeded, unavailable when the ledger cannot be read or written
   */
  public Release publish(String periodText, @Nullable String epsilonText, String by, Instant now)
      throws DataPactException {
    ReportPeriod period;
    Epsilon epsilon;
    try {
      period = ReportPeriod.parseAny(periodText);
      epsilon = epsilonText == null ? DEFAULT_EPSILON : Epsilon.parse(epsilonText);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
    if (period.from().isAfter(now)) {
      throw DataPactException.invalid("the period " + period + " has not begun");
    }
    int year = period.start().getYear();
    List<String> others = otherShardsOrRefuse();
    var store = new TransparencyStore(db);
    synchronized (lock) {
      var refusal = BUDGET.refusal(year, epsilon, store.spends());
      if (refusal.isPresent()) {
        throw new DataPactException(ErrorKind.CONFLICT, refusal.get());
      }
      String id = UUID.randomUUID().toString();
      store.reserve(id, period.toString(), year, epsilon, MIN_THRESHOLD, now, by);
      ReleaseCounter.Counts counted;
      try {
        counted = countShard(audit, period.from(), period.until());
      } catch (IOException | RuntimeException e) {
        store.withdraw(id); // no noise was drawn: nothing was spent
        throw new DataPactException(
            ErrorKind.UNAVAILABLE, "cannot count the ledger: " + e.getMessage(), e);
      }
      if (!others.isEmpty()) {
        try {
          counted =
              ReleaseCounter.add(
                  counted,
                  java.util.Objects.requireNonNull(otherShards)
                      .count(others, period.from(), period.until()));
        } catch (DataPactException | RuntimeException e) {
          store.withdraw(id); // no noise was drawn: nothing was spent
          throw e;
        }
      }
      List<String> scopes = Arrays.stream(Scope.values()).map(Scope::wire).toList();
      List<String> purposes = Arrays.stream(Purpose.values()).map(Purpose::wire).toList();
      List<String> countries = countries();
      long domain =
          (long) counted.partners().size() * scopes.size() * purposes.size() * countries.size();
      int threshold = (int) Publication.threshold(domain, epsilon, MIN_THRESHOLD);
      SortedMap<Cell, Long> published =
          Publication.publish(
              counted.counts(),
              counted.partners(),
              scopes,
              purposes,
              countries,
              threshold,
              new DiscreteLaplace(epsilon, random));
      // from here the noise exists: the reservation stays spent whatever happens
      List<Row> rows = new ArrayList<>(published.size());
      long total = 0;
      for (var c : published.entrySet()) {
        Cell k = c.getKey();
        rows.add(new Row(k.partner(), k.scope(), k.purpose(), k.country(), c.getValue()));
        total += c.getValue();
      }
      String cells = cellsJson(rows);
      String sha = sha256(cells);
      boolean complete = !period.until().isAfter(now);
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("release", id);
      detail.put("period", period.toString());
      detail.put("complete", Boolean.toString(complete));
      detail.put("budgetYear", Integer.toString(year));
      detail.put("epsilon", epsilon.toString());
      detail.put("threshold", Integer.toString(threshold));
      detail.put("logSize", Long.toString(counted.entries()));
      detail.put("cells", Integer.toString(rows.size()));
      detail.put("cellsSha256", sha);
      detail.put("mechanism", "discrete_laplace");
      long index = audit.governance(now, "transparency_published", by, detail);
      store.published(id, threshold, counted.entries(), index, cells);
      return new Release(
          id,
          period.toString(),
          complete,
          epsilon.toString(),
          threshold,
          MECHANISM,
          now,
          by,
          counted.entries(),
          index,
          sha,
          total,
          rows);
    }
  }

  /**
   * @return the other ledger shards there are (with several nodes, one each)
   * @throws DataPactException conflict when there are some and no way to count them (the CLI): the
   *     count would leave their releases out, and a report that undercounts is worse than none
   */
  private List<String> otherShardsOrRefuse() throws DataPactException {
    String mine = audit.ledger().origin();
    List<String> others =
        new org.datapact.store.cluster.ClusterStore(db)
            .shards().stream()
                .map(org.datapact.store.cluster.ClusterStore.Shard::origin)
                .filter(o -> !o.equals(mine))
                .toList();
    if (!others.isEmpty() && otherShards == null) {
      throw new DataPactException(
          ErrorKind.CONFLICT,
          "this deployment writes "
              + (others.size() + 1)
              + " ledger shards, and this count reads only "
              + mine
              + ": publishing would leave out the releases in "
              + String.join(", ", others)
              + ". Publish through a running node (POST /api/v1/transparency/releases), which"
              + " asks every node to count its shard");
    }
    return others;
  }

  /**
   * @return the published release {@code id}
   */
  public java.util.Optional<Release> find(String id) throws DataPactException {
    var r = new TransparencyStore(db).find(id);
    if (r.isEmpty() || !r.get().published()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(release(r.get()));
  }

  /**
   * @return every published release, newest first
   */
  public List<Release> all() throws DataPactException {
    List<Release> out = new ArrayList<>();
    for (var r : new TransparencyStore(db).all()) {
      if (r.published()) {
        out.add(release(r));
      }
    }
    return out;
  }

  /**
   * @return the budget of every year something was spent on, and of {@code thisYear}
   */
  public List<Budget> budgets(int thisYear) {
    var spends = new TransparencyStore(db).spends();
    TreeSet<Integer> years = new TreeSet<>();
    years.add(thisYear);
    spends.forEach(s -> years.add(s.year()));
    List<Budget> out = new ArrayList<>();
    for (int y : years.descendingSet()) {
      var spent = PrivacyBudget.spent(y, spends);
      String left =
          spent.isEmpty()
              ? BUDGET.perYear().toString()
              : new java.math.BigDecimal(BUDGET.perYear().toString())
                  .subtract(new java.math.BigDecimal(spent.get().toString()))
                  .max(java.math.BigDecimal.ZERO)
                  .stripTrailingZeros()
                  .toPlainString();
      out.add(
          new Budget(
              y, BUDGET.perYear().toString(), spent.map(Epsilon::toString).orElse("0"), left));
    }
    return out;
  }

  private Release release(TransparencyStore.Release r) throws DataPactException {
    String cells = r.cells();
    Long logSize = r.logSize();
    Long index = r.ledgerIndex();
    if (cells == null || logSize == null || index == null) {
      throw new IllegalStateException("release " + r.id() + " is not published");
    }
    List<Row> rows = new ArrayList<>();
    long total = 0;
    try {
      for (var n : mapper.readTree(cells)) {
        Row row =
            new Row(
                n.get(0).asText(),
                n.get(1).asText(),
                n.get(2).asText(),
                n.get(3).asText(),
                n.get(4).asLong());
        rows.add(row);
        total += row.releases();
      }
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "release " + r.id() + " is stored unreadably", e);
    }
    ReportPeriod period = ReportPeriod.parseAny(r.period());
    return new Release(
        r.id(),
        r.period(),
        !period.until().isAfter(r.requestedAt()),
        r.epsilon().toString(),
        r.threshold(),
        MECHANISM,
        r.requestedAt(),
        r.requestedBy(),
        logSize,
        index,
        sha256(cells),
        total,
        rows);
  }

  /**
   * The cells as stored and hashed: a JSON array of {@code [partner, scope, purpose, country, n]}.
   */
  private String cellsJson(List<Row> rows) {
    List<List<Object>> a = new ArrayList<>(rows.size());
    for (Row r : rows) {
      a.add(List.of(r.partner(), r.scope(), r.purpose(), r.country(), r.releases()));
    }
    try {
      return mapper.writeValueAsString(a);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write cells", e); // INVARIANT: lists of scalars
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }

  /**
   * @return the release as CSV: a header, then one line per cell
   */
  public static String csv(Release r) {
    StringBuilder b = new StringBuilder("period,partner,scope,purpose,country,releases\n");
    for (Row row : r.cells()) {
      b.append(r.period())
          .append(',')
          .append(row.partner())
          .append(',')
          .append(row.scope())
          .append(',')
          .append(row.purpose())
          .append(',')
          .append(row.country())
          .append(',')
          .append(row.releases())
          .append('\n');
    }
    return b.toString();
  }
}
