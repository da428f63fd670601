package org.datapact.server.transparency;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.datapact.core.transparency.Cell;
import org.datapact.ledger.log.LogReader;
import org.datapact.ledger.subject.SubjectKeys;
import org.datapact.server.ledger.LedgerEntries;
import org.jspecify.annotations.Nullable;

/**
 * Counts partner releases in the ledger: every decision entry that allowed a partner (not a
 * what-if) with its time in the period, by partner, scope, purpose and the subject's country
 * (opened from the entry's sealed personal fields; {@code ZZ} once the subject was erased or when
 * the entry names no subject). The log is the source: nothing the store says is trusted over it.
 *
 * <p>Made for logs of tens of millions of entries: the log is split into one range per core, each
 * read sequentially; entries of other types are skipped on their first bytes; a decision entry is
 * read with Jackson's streaming parser (skipping labels, reasons and released users); a subject's
 * key is looked up once per range.
 */
public final class ReleaseCounter {
  private static final byte[] DECISION = LedgerEntries.typePrefix(LedgerEntries.DECISION);
  private static final byte[] PARTIES = LedgerEntries.typePrefix(LedgerEntries.PARTIES);
  private static final byte[] COUNTRY = "\"country\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final JsonFactory JSON = new JsonFactory();

  private ReleaseCounter() {}

  /**
   * What a count found.
   *
   * @param counts releases per cell (partners only)
   * @param partners every party that any {@code parties} entry of the counted log names a partner
   * @param entries how many entries were read
   */
  public record Counts(Map<Cell, Long> counts, Set<String> partners, long entries) {}

  /**
   * @return two shards' counts added up: cells summed, partners united, entries summed
   */
  public static Counts add(Counts a, Counts b) {
    Map<Cell, Long> counts = new java.util.HashMap<>(a.counts());
    b.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
    Set<String> partners = new java.util.TreeSet<>(a.partners());
    partners.addAll(b.partners());
    return new Counts(counts, partners, a.entries() + b.entries());
  }

  /**
   * Counts the releases of {@code [from, until)} among entries {@code [0, end)}.
   *
   * @param threads how many ranges to read at once
   */
  public static Counts count(
      LogReader log, SubjectKeys keys, Instant from, Instant until, long end, int threads)
      throws IOException {
    byte[] lo = bound(from);
    byte[] hi = bound(until);
    int n = (int) Math.max(1, Math.min(threads, end / 100_000 + 1));
    List<Range> ranges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ranges.add(new Range(log, keys, end * i / n, end * (i + 1) / n, lo, hi));
    }
    if (n == 1) {
      ranges.get(0).call();
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        List<Future<Void>> done = new ArrayList<>();
        for (Range r : ranges) {
          done.add(pool.submit(r));
        }
        for (Future<Void> f : done) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
              throw io;
            }
            throw new IOException("counting the ledger failed: " + e.getCause(), e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while counting the ledger", e);
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
    Set<String> partners = new TreeSet<>();
    Map<String, Map<Cell, Long>> byPrincipal = new HashMap<>();
    for (Range r : ranges) {
      partners.addAll(r.partners);
      r.counts.forEach(
          (cell, c) ->
              byPrincipal
                  .computeIfAbsent(cell.partner(), p -> new HashMap<>())
                  .merge(cell, c[0], Long::sum));
    }
    Map<Cell, Long> counts = new HashMap<>();
    byPrincipal.forEach(
        (principal, cells) -> {
          if (partners.contains(principal)) { // units' and the platform's own decisions are not
            counts.putAll(cells);
          }
        });
    return new Counts(counts, partners, end);
  }

  /** An instant as entries write it, to the second: bounds are whole seconds. */
  private static byte[] bound(Instant t) {
    if (t.getNano() != 0) {
      throw new IllegalArgumentException("a period's bound is a whole second, got " + t);
    }
    return t.toString().substring(0, 19).getBytes(StandardCharsets.US_ASCII);
  }

  /** One range of the log, read by one thread. */
  private static final class Range implements java.util.concurrent.Callable<Void> {
    private final LogReader log;
    private final SubjectKeys keys;
    private final long from;
    private final long end;
    private final byte[] lo;
    private final byte[] hi;
    final Map<Cell, long[]> counts = new HashMap<>();
    final Set<String> partners = new TreeSet<>();
    private final Map<String, SubjectKeys.@Nullable Subject> subjects = new HashMap<>();

    Range(LogReader log, SubjectKeys keys, long from, long end, byte[] lo, byte[] hi) {
      this.log = log;
      this.keys = keys;
      this.from = from;
      this.end = end;
      this.lo = lo;
      this.hi = hi;
    }

    @Override
    public @Nullable Void call() throws IOException {
      log.forEach(from, end, (i, e) -> read(e));
      return null;
    }

    private void read(byte[] e) throws IOException {
      if (LedgerEntries.hasPrefix(e, DECISION)) {
        decision(e);
      } else if (LedgerEntries.hasPrefix(e, PARTIES)) {
        parties(e);
      }
    }

    private void parties(byte[] e) throws IOException {
      try (JsonParser p = JSON.createParser(e)) {
        p.nextToken();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          if (name.equals("parties")) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String party = p.currentName();
              if ("partner".equals(p.nextTextValue())) {
                partners.add(party);
              }
            }
          } else {
            p.skipChildren();
          }
        }
      }
    }

    private void decision(byte[] e) throws IOException {
      String at = null;
      String principal = null;
      String subject = null;
      String personal = null;
      String scope = null;
      String purpose = null;
      boolean allow = false;
      try (JsonParser p = JSON.createParser(e)) {
        p.nextToken();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          switch (name) {
            case "at" -> {
              at = p.getText();
              if (!within(at)) {
                return;
              }
            }
            case "principal" -> principal = p.getText();
            case "subject" -> subject = v == JsonToken.VALUE_NULL ? null : p.getText();
            case "personal" -> personal = v == JsonToken.VALUE_NULL ? null : p.getText();
            case "scope" -> scope = p.getText();
            case "purpose" -> purpose = p.getText();
            case "effect" -> {
              allow = "allow".equals(p.getText());
              if (!allow) {
                return;
              }
            }
            case "whatIf" -> {
              if (v == JsonToken.VALUE_TRUE) {
                return; // a what-if authorizes nothing
              }
            }
            default -> p.skipChildren();
          }
        }
      }
      if (!allow || at == null || principal == null || scope == null || purpose == null) {
        return;
      }
      Cell cell = new Cell(principal, scope, purpose, country(subject, personal));
      counts.computeIfAbsent(cell, c -> new long[1])[0]++;
    }

    private boolean within(String at) {
      if (at.length() < 19) {
        return false;
      }
      for (int k = 0; k < 19; k++) {
        int c = at.charAt(k);
        if (c != lo[k]) {
          if (c < lo[k]) {
            return false;
          }
          break;
        }
        if (k == 18) {
          break; // equal to the lower bound: inside
        }
      }
      for (int k = 0; k < 19; k++) {
        int c = at.charAt(k);
        if (c != hi[k]) {
          return c < hi[k];
        }
      }
      return false; // equal to the upper bound: outside
    }

    private String country(@Nullable String subject, @Nullable String personal) throws IOException {
      if (subject == null || personal == null) {
        return Cell.UNKNOWN_COUNTRY;
      }
      SubjectKeys.Subject s;
      if (subjects.containsKey(subject)) {
        s = subjects.get(subject);
      } else {
        OptionalLong user = keys.userOf(subject);
        s = user.isPresent() ? keys.find(user.getAsLong()).orElse(null) : null;
        subjects.put(subject, s);
      }
      if (s == null) {
        return Cell.UNKNOWN_COUNTRY; // erased: the country cannot be opened any more
      }
      byte[] plain;
      try {
        plain = s.open(personal);
      } catch (IllegalArgumentException altered) {
        return Cell.UNKNOWN_COUNTRY;
      }
      int at = indexOf(plain, COUNTRY);
      if (at < 0 || at + COUNTRY.length + 2 > plain.length) {
        return Cell.UNKNOWN_COUNTRY;
      }
      return new String(plain, at + COUNTRY.length, 2, StandardCharsets.US_ASCII);
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
