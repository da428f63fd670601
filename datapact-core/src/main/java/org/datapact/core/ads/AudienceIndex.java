package org.datapact.core.ads;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.jurisdiction.RuleSetId;
import org.datapact.core.label.Label;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.datapact.core.user.CountryCode;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * What DataPact holds for ad targeting, as one compressed bitmap of user ids per attribute value
 * (RoaringBitmap: Chambi, Lemire et al., "Better bitmap performance with Roaring bitmaps", 2016):
 * country, rule set, age band, interest, each partner's genre signals, and who consented to ad
 * targeting by the platform and by each partner. A segment is evaluated by bitmap algebra, then
 * intersected with the consent bitmaps of the platform and of every partner whose signals it reads,
 * so that a user without that consent is never a member — by construction, not by a later filter.
 *
 * <p>The attribute bitmaps are arrays indexed by the enums' ordinals: the enums are the vocabulary,
 * and an index is never stored, only rebuilt.
 *
 * <p>Thread-safe: evaluations share a read lock, changes (a user, a signal, a consent change) take
 * the write lock. Bitmaps never leave the index: an {@link Audience} owns a fresh one.
 */
@SuppressWarnings("EnumOrdinal") // see the class comment
public final class AudienceIndex {
  private static final ConsentTopic AD_TARGETING = ConsentTopic.of(Purpose.AD_TARGETING);

  private final Jurisdictions jurisdictions;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final RoaringBitmap everyone = new RoaringBitmap();
  private final Map<String, RoaringBitmap> byCountry = new HashMap<>();
  private final Map<RuleSetId, RoaringBitmap> byRuleSet = new HashMap<>();
  private final RoaringBitmap[] byAge = fresh(AgeBand.values().length);
  private final RoaringBitmap[] byInterest = fresh(Interest.values().length);
  private final Map<PartyId, EnumMap<Genre, RoaringBitmap>> watched = new HashMap<>();
  private final Map<PartyId, RoaringBitmap> consented = new HashMap<>();
  private final Map<PartyId, Map<Integer, Instant>> expiries = new HashMap<>();

  /**
   * @param jurisdictions maps a member's country to the rule set its labels name
   */
  public AudienceIndex(Jurisdictions jurisdictions) {
    this.jurisdictions = jurisdictions;
  }

  private static RoaringBitmap[] fresh(int n) {
    RoaringBitmap[] out = new RoaringBitmap[n];
    for (int i = 0; i < n; i++) {
      out[i] = new RoaringBitmap();
    }
    return out;
  }

  /**
   * Adds a user with the attributes the platform holds. Adding in ascending id order is fastest.
   *
   * @param interests a mask of {@link Interest#bit()}s
   */
  public void addUser(long id, CountryCode country, AgeBand band, int interests) {
    int u = userInt(id);
    lock.writeLock().lock();
    try {
      everyone.add(u);
      byCountry.computeIfAbsent(country.value(), k -> new RoaringBitmap()).add(u);
      byRuleSet
          .computeIfAbsent(jurisdictions.of(country).ruleSetId(), k -> new RoaringBitmap())
          .add(u);
      byAge[band.ordinal()].add(u);
      for (Interest i : Interest.values()) {
        if ((interests & i.bit()) != 0) {
          byInterest[i.ordinal()].add(u);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Records that {@code partner} signalled that {@code user} watched {@code genre}. */
  public void watched(PartyId partner, long user, Genre genre) {
    int u = userInt(user);
    lock.writeLock().lock();
    try {
      watched
          .computeIfAbsent(partner, k -> new EnumMap<>(Genre.class))
          .computeIfAbsent(genre, k -> new RoaringBitmap())
          .add(u);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Applies a consent change; only ad-targeting consents matter here, others are ignored. Changes
   * of one user must arrive in their order in time (the consent history's order).
   */
  public void consent(ConsentChange c) {
    if (!c.topic().equals(AD_TARGETING)) {
      return;
    }
    int u = userInt(c.user().value());
    lock.writeLock().lock();
    try {
      RoaringBitmap b = consented.computeIfAbsent(c.party(), k -> new RoaringBitmap());
      Map<Integer, Instant> ends = expiries.computeIfAbsent(c.party(), k -> new HashMap<>());
      if (c.granted()) {
        b.add(u);
        Instant until = c.expiresAt();
        if (until == null) {
          ends.remove(u);
        } else {
          ends.put(u, until);
        }
      } else {
        b.remove(u);
        ends.remove(u);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Compacts runs of consecutive ids; call after a bulk load. */
  public void optimise() {
    lock.writeLock().lock();
    try {
      for (RoaringBitmap b : all()) {
        b.runOptimize();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * The audience {@code definition} selects at {@code at}: evaluated over the bitmaps, then limited
   * to users whose ad-targeting consent to the platform and to every partner the definition reads
   * holds at {@code at}; labelled with the platform's demographic label and each source partner's
   * viewing label, for each rule set its members fall under.
   */
  public Audience audience(Predicate definition, Instant at) {
    Set<PartyId> sources = definition.sources();
    lock.readLock().lock();
    try {
      List<RoaringBitmap> parts = new ArrayList<>(sources.size() + 2);
      parts.add(eval(definition));
      parts.add(consentOf(PolicySnapshot.PLATFORM));
      for (PartyId p : sources) {
        parts.add(consentOf(p));
      }
      RoaringBitmap members = FastAggregation.and(parts.iterator());
      if (members == parts.get(0)) {
        members = members.clone(); // INVARIANT: an audience never shares the index's bitmaps
      }
      removeExpired(members, PolicySnapshot.PLATFORM, at);
      for (PartyId p : sources) {
        removeExpired(members, p, at);
      }
      Set<Label> labels = new HashSet<>();
      for (Map.Entry<RuleSetId, RoaringBitmap> rs : byRuleSet.entrySet()) {
        if (RoaringBitmap.intersects(members, rs.getValue())) {
          labels.add(new Label(PolicySnapshot.PLATFORM, DataCategory.DEMOGRAPHIC, rs.getKey()));
          for (PartyId p : sources) {
            labels.add(new Label(p, DataCategory.VIDEO_VIEWING, rs.getKey()));
          }
        }
      }
      return new Audience(definition, members, sources, new LabelSet(labels), at);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * @return every user id the index holds, ascending
   */
  public int[] userIds() {
    lock.readLock().lock();
    try {
      return everyone.toArray();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * @return the bytes the bitmaps take serialised (about their size in memory)
   */
  public long sizeInBytes() {
    lock.readLock().lock();
    try {
      long n = 0;
      for (RoaringBitmap b : all()) {
        n += b.getLongSizeInBytes();
      }
      return n;
    } finally {
      lock.readLock().unlock();
    }
  }

  private List<RoaringBitmap> all() {
    List<RoaringBitmap> out = new ArrayList<>();
    out.add(everyone);
    out.addAll(byCountry.values());
    out.addAll(byRuleSet.values());
    out.addAll(List.of(byAge));
    out.addAll(List.of(byInterest));
    watched.values().forEach(m -> out.addAll(m.values()));
    out.addAll(consented.values());
    return out;
  }

  private RoaringBitmap consentOf(PartyId party) {
    RoaringBitmap b = consented.get(party);
    return b == null ? new RoaringBitmap() : b;
  }

  private void removeExpired(RoaringBitmap members, PartyId party, Instant at) {
    Map<Integer, Instant> ends = expiries.get(party);
    if (ends == null) {
      return;
    }
    for (Map.Entry<Integer, Instant> e : ends.entrySet()) {
      if (!e.getValue().isAfter(at)) {
        members.remove(e.getKey());
      }
    }
  }

  /** Evaluates without consent; may return one of the index's own bitmaps: never mutate it. */
  private RoaringBitmap eval(Predicate p) {
    if (p instanceof Predicate.InCountry c) {
      return orEmpty(byCountry.get(c.country().value()));
    }
    if (p instanceof Predicate.InAgeBand a) {
      return byAge[a.band().ordinal()];
    }
    if (p instanceof Predicate.HasInterest i) {
      return byInterest[i.interest().ordinal()];
    }
    if (p instanceof Predicate.Watched w) {
      EnumMap<Genre, RoaringBitmap> m = watched.get(w.partner());
      return m == null ? new RoaringBitmap() : orEmpty(m.get(w.genre()));
    }
    if (p instanceof Predicate.All a) {
      if (a.of().size() == 1) {
        return eval(a.of().get(0));
      }
      return FastAggregation.and(a.of().stream().map(this::eval).iterator());
    }
    if (p instanceof Predicate.Any a) {
      if (a.of().size() == 1) {
        return eval(a.of().get(0));
      }
      return FastAggregation.or(a.of().stream().map(this::eval).iterator());
    }
    Predicate.Not n = (Predicate.Not) p; // INVARIANT: the sealed interface's last kind
    return RoaringBitmap.andNot(everyone, eval(n.of()));
  }

  private static RoaringBitmap orEmpty(@org.jspecify.annotations.Nullable RoaringBitmap b) {
    return b == null ? new RoaringBitmap() : b;
  }

  private static int userInt(long id) {
    if (id <= 0 || id > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("user id out of the index's range: " + id);
    }
    return (int) id;
  }
}
