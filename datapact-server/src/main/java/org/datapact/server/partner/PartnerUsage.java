package org.datapact.server.partner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.datapact.core.party.PartyId;

/**
 * What each partner's API calls came to since the server started: allowed and denied calls per
 * endpoint, and the latest denials with their reasons and ledger index (the partner portal shows
 * them; the ledger holds every one for good).
 *
 * <p>Thread-safe.
 */
final class PartnerUsage {
  private static final int RECENT = 50;

  /** One denial as the portal shows it. */
  record Denial(String at, String endpoint, String scope, String purpose, List<String> reasons, String decisionId,
      long ledgerIndex) {}

  private static final class Counts {
    final ConcurrentHashMap<String, LongAdder> byEndpointAndEffect = new ConcurrentHashMap<>();
    final ArrayDeque<Denial> recent = new ArrayDeque<>();
  }

  private final ConcurrentHashMap<PartyId, Counts> partners = new ConcurrentHashMap<>();

  void count(PartyId partner, String endpoint, String effect) {
    partners.computeIfAbsent(partner, p -> new Counts()).byEndpointAndEffect
        .computeIfAbsent(endpoint + " " + effect, k -> new LongAdder()).increment();
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

  /** @return the partner's counts per endpoint ({@code allow}, {@code deny}) and its latest denials */
  Map<String, Object> view(PartyId partner) {
    Counts c = partners.get(partner);
    Map<String, Map<String, Long>> byEndpoint = new TreeMap<>();
    List<Denial> recent = new ArrayList<>();
    if (c != null) {
      c.byEndpointAndEffect.forEach((k, v) -> {
        int space = k.lastIndexOf(' ');
        byEndpoint.computeIfAbsent(k.substring(0, space), e -> new TreeMap<>()).put(k.substring(space + 1), v.sum());
      });
      synchronized (c.recent) {
        recent.addAll(c.recent);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("calls", byEndpoint);
    m.put("recentDenials", recent);
    return m;
  }
}
