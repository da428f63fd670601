package org.datapact.core.ads;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.datapact.core.party.PartyId;
import org.roaringbitmap.RoaringBitmap;

/**
 * Keeps audience sizes from singling anyone out. An audience smaller than the minimum (default
 * {@value #DEFAULT_MINIMUM}; an agreement's aggregate-only term may raise it) is refused, and so is
 * one whose members differ from an audience the same advertiser was told about before by at least
 * one and fewer than the minimum users: otherwise "everyone in Berlin aged 25–34" and the same
 * "except who watched horror" would tell, by subtraction, what a handful of people watched.
 *
 * <p>It remembers, per advertiser, the audiences it reported (built segments and estimates), the
 * newest {@value #REMEMBERED} of them. Thread-safe.
 */
public final class AudienceGuard {
  /** The smallest audience reported or used when no agreement asks for more. */
  public static final int DEFAULT_MINIMUM = 100;

  /** Audiences remembered per advertiser for the differencing check. */
  public static final int REMEMBERED = 256;

  private final Map<PartyId, Deque<RoaringBitmap>> reported = new HashMap<>();

  /**
   * Checks an audience for {@code advertiser} and, when it passes, remembers it.
   *
   * @param minimum the smallest audience allowed (at least {@link #DEFAULT_MINIMUM})
   * @return why it is refused, or empty when it may be reported and used
   */
  public synchronized Optional<String> admit(PartyId advertiser, Audience audience, int minimum) {
    int min = Math.max(DEFAULT_MINIMUM, minimum);
    int size = audience.size();
    if (size < min) {
      return Optional.of(
          "the audience has fewer than "
              + min
              + " users; its size is not reported, so that it cannot single anyone out");
    }
    Deque<RoaringBitmap> earlier = reported.computeIfAbsent(advertiser, k -> new ArrayDeque<>());
    for (RoaringBitmap e : earlier) {
      int diff = RoaringBitmap.xorCardinality(audience.members(), e);
      if (diff > 0 && diff < min) {
        return Optional.of(
            "the audience differs from one reported before to this advertiser by fewer than "
                + min
                + " users; comparing the two would single them out");
      }
    }
    earlier.addFirst(audience.members());
    while (earlier.size() > REMEMBERED) {
      earlier.removeLast();
    }
    return Optional.empty();
  }

  /** Remembers an audience reported before (a stored segment, at start) without checking it. */
  public synchronized void remember(PartyId advertiser, Audience audience) {
    reported.computeIfAbsent(advertiser, k -> new ArrayDeque<>()).addLast(audience.members());
  }
}
