package org.datapact.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.Effect;
import org.datapact.core.decision.Reason;
import org.datapact.core.decision.ReasonCode;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.transparency.DiscreteLaplace;
import org.datapact.core.transparency.Epsilon;
import org.datapact.core.transparency.Publication;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.datapact.ledger.log.LogReader;
import org.datapact.server.http.Json;
import org.datapact.server.ledger.LedgerEntries;
import org.datapact.server.ledger.LedgerService;
import org.datapact.server.transparency.ReleaseCounter;

/**
 * The transparency report over a ledger of 10^7 entries: the time to count a year's partner
 * releases from the log (opening each subject's sealed country) and publish them with noise, beside
 * the peer measured in the same run — reading the same log with nothing done per entry but its CRC
 * check, the floor of any report computed from the log.
 *
 * <p>The fixture is built once under {@code -Ddatapact.bench.dir} through the server's own entry
 * writer and the durable log: decision entries of three partners and a unit over 2019 and 2020 (a
 * tenth denied, a twentieth what-ifs), 100,000 subjects in 20 countries, with a consent entry every
 * tenth and a party list first. Run with {@code datapact-bench/scripts/transparency-scale.sh}.
 */
public final class TransparencyScale {
  private static final String[] PRINCIPALS = {"streamflix", "tunely", "seekr", "ads"};
  private static final Scope[] SCOPES = {Scope.PROFILE_BASIC, Scope.FRIENDS_LIST, Scope.INBOX_READ};
  private static final String[] COUNTRIES = {
    "US", "DE", "FR", "GB", "BR", "IN", "JP", "CA", "MX", "IT", "ES", "NL", "SE", "PL", "NG", "ZA",
    "AU", "KR", "AR", "TR"
  };

  private TransparencyScale() {}

  public static void main(String[] args) throws Exception {
    long entries = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path base = Path.of(System.getProperty("datapact.bench.dir", "target")).toAbsolutePath();
    Path dir = base.resolve("transparency-ledger-" + entries);
    if (!Files.exists(dir.resolve("complete"))) {
      build(dir, entries);
    }
    Path log = dir.resolve("log");
    int cores = Runtime.getRuntime().availableProcessors();
    try (LedgerService ledger = LedgerService.open(dir, Clock.systemUTC(), Duration.ZERO)) {
      for (int run = 1; run <= runs; run++) {
        long t0 = System.nanoTime();
        long[] seen = new long[1];
        try (LogReader r = LogReader.open(log)) {
          r.forEach(r.size(), (i, e) -> seen[0] += e.length);
        }
        double peer = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        ReleaseCounter.Counts counts;
        try (LogReader r = LogReader.open(log)) {
          counts =
              ReleaseCounter.count(
                  r,
                  ledger.subjects(),
                  Instant.parse("2019-01-01T00:00:00Z"),
                  Instant.parse("2020-01-01T00:00:00Z"),
                  r.size(),
                  cores);
        }
        double counted = (System.nanoTime() - t1) / 1e9;
        long t2 = System.nanoTime();
        List<String> countries =
            List.of(java.util.Locale.getISOCountries()).stream()
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        Epsilon epsilon = Epsilon.parse("0.25");
        long threshold =
            Publication.threshold(
                (long) counts.partners().size()
                    * Scope.values().length
                    * Purpose.values().length
                    * countries.size(),
                epsilon,
                20);
        var published =
            Publication.publish(
                counts.counts(),
                counts.partners(),
                Arrays.stream(Scope.values()).map(Scope::wire).toList(),
                Arrays.stream(Purpose.values()).map(Purpose::wire).toList(),
                countries,
                threshold,
                new DiscreteLaplace(epsilon, new java.security.SecureRandom()));
        double noised = (System.nanoTime() - t2) / 1e9;
        long releases = counts.counts().values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(
            "[run %d] %,d entries (%,d MB): peer (read + CRC only) %.2f s; count %.2f s (%,d releases"
                + " of 2019 in %d cells, %.0f k entries/s) + noise %.3f s (%d cells at or above %d) ="
                + " %.2f s; count/peer %.2f%n",
            run,
            counts.entries(),
            seen[0] >> 20,
            peer,
            counted,
            releases,
            counts.counts().size(),
            counts.entries() / counted / 1e3,
            noised,
            published.size(),
            threshold,
            counted + noised,
            counted / peer);
      }
    }
  }

  private static void build(Path dir, long entries) throws Exception {
    long t0 = System.nanoTime();
    ObjectMapper mapper = Json.newMapper();
    SplittableRandom rng = new SplittableRandom(20261203L);
    try (LedgerService ledger = LedgerService.open(dir, Clock.systemUTC(), Duration.ZERO)) {
      LedgerEntries writer = new LedgerEntries(mapper, ledger);
      var kinds = new java.util.HashMap<PartyId, PartyKind>();
      for (String p : PRINCIPALS) {
        kinds.put(PartyId.of(p), p.equals("ads") ? PartyKind.UNIT : PartyKind.PARTNER);
      }
      ledger.log().append(writer.parties(kinds)).get();
      long start = Instant.parse("2019-01-01T00:00:00Z").getEpochSecond();
      long span = 2 * 365L * 86_400;
      Decision allow =
          new Decision(
              Effect.ALLOW,
              List.of(new Reason(ReasonCode.PERMITTED, "streamflix-2018@4", "permitted")),
              List.of(),
              "0".repeat(64),
              "streamflix-2018@4");
      Decision deny =
          new Decision(
              Effect.DENY,
              List.of(new Reason(ReasonCode.NO_CONSENT, "consent", "no consent")),
              List.of(),
              "0".repeat(64),
              null);
      CompletableFuture<Long> last = null;
      for (long i = 1; i < entries; i++) {
        long user = 1 + rng.nextInt(100_000);
        Instant at = Instant.ofEpochSecond(start + span * i / entries);
        byte[] e;
        if (i % 10 == 0) {
          e =
              writer.consent(
                  new org.datapact.core.consent.ConsentChange(
                      UserId.of(user),
                      PartyId.of("streamflix"),
                      org.datapact.core.consent.ConsentTopic.of(Purpose.RECOMMENDATIONS),
                      true,
                      at,
                      null,
                      org.datapact.core.consent.ConsentBasis.EXPLICIT,
                      "bench"));
        } else {
          String principal = PRINCIPALS[rng.nextInt(PRINCIPALS.length)];
          DecisionRequest r =
              DecisionRequest.about(
                  PartyId.of(principal),
                  UserId.of(user),
                  SCOPES[rng.nextInt(SCOPES.length)],
                  Purpose.RECOMMENDATIONS,
                  at);
          boolean whatIf = i % 20 == 1;
          e =
              writer.decision(
                  "d" + i,
                  r,
                  rng.nextInt(10) == 0 ? deny : allow,
                  CountryCode.of(COUNTRIES[(int) (user % COUNTRIES.length)]),
                  List.of(),
                  "/api/v1/users/{id}/profile",
                  whatIf ? "regulator:rita" : null);
        }
        while (true) {
          try {
            last = ledger.log().append(e);
            break;
          } catch (org.datapact.ledger.log.LedgerBusyException busy) {
            Thread.onSpinWait();
          }
        }
        if (i % 1_000_000 == 0) {
          System.err.printf("[build] %,d entries, %.0f s%n", i, (System.nanoTime() - t0) / 1e9);
        }
      }
      if (last != null) {
        last.get();
      }
    }
    Files.writeString(dir.resolve("complete"), Long.toString(entries));
    System.err.printf("[build] %,d entries in %.0f s%n", entries, (System.nanoTime() - t0) / 1e9);
  }
}
