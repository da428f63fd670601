package org.datapact.server.release;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.datapact.core.party.PartyId;

/**
 * What each principal's releases came to since the server started: allowed and denied calls per
 * endpoint, and the latest denials with their reasons and ledger index (the partner portal shows
 * them; the ledger holds every one for good). The release pipeline counts every release here.
 *
 * <p>Thread-safe.
 */
public final class ReleaseUsage {
  private static final int RECENT = 50;

  /** One denial as the portal shows it. */
  public record Denial(
      String at,
      String endpoint,
      String scope,
      String purpose,
      List<String> reasons,
      String decisionId,
      long ledgerIndex) {}

  private static final class Counts {
    final ConcurrentHashMap<String, LongAdder> byEndpointAndEffect = new ConcurrentHashMap<>();
    final ArrayDeque<Denial> recent = new ArrayDeque<>();
  }

  private final ConcurrentHashMap<PartyId, Counts> partners = new ConcurrentHashMap<>();

  void count(PartyId partner, String endpoint, String effect) {
    partners
        .computeIfAbsent(partner, p -> new Counts())
        .byEndpointAndEffect
        .computeIfAbsent(endpoint + " " + effect, k -> new LongAdder())
        .increment();
  }

  void deny(PartyId partner, Denial d) {
    Counts c = partners.computeIfAbsent(partner, p -> new Counts());
    synchronized (c.recent) {
      c.recent.addFirst(d);
      while (c.recent.size() > RECENT) {
        c.recent.removeLast();
      }
    }
  }

  /**
   * What a principal's releases came to.
   *
   * @param calls per endpoint, the calls by effect ({@code allow}, {@code deny})
   * @param recentDenials the latest denials, newest first
   */
  public record View(Map<String, Map<String, Long>> calls, List<Denial> recentDenials) {}

  /**
   * @return every count since the start, for the store ({@code principal, endpoint, effect, n})
   */
  public List<org.datapact.store.cluster.UsageStore.Count> counts() {
    List<org.datapact.store.cluster.UsageStore.Count> out = new ArrayList<>();
    partners.forEach(
        (p, c) ->
            c.byEndpointAndEffect.forEach(
                (k, v) -> {
                  int space = k.lastIndexOf(' ');
                  out.add(
                      new org.datapact.store.cluster.UsageStore.Count(
                          p.value(), k.substring(0, space), k.substring(space + 1), v.sum()));
                }));
    return out;
  }

  /**
   * @return the principal's counts per endpoint and its latest denials
   */
  public View view(PartyId partner) {
    Counts c = partners.get(partner);
    Map<String, Map<String, Long>> byEndpoint = new TreeMap<>();
    List<Denial> recent = new ArrayList<>();
    if (c != null) {
      c.byEndpointAndEffect.forEach(
          (k, v) -> {
            int space = k.lastIndexOf(' ');
            byEndpoint
                .computeIfAbsent(k.substring(0, space), e -> new TreeMap<>())
                .put(k.substring(space + 1), v.sum());
          });
      synchronized (c.recent) {
        recent.addAll(c.recent);
      }
    }
    return new View(byEndpoint, recent);
  }
}
