package org.datapact.core.ads;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.roaringbitmap.RoaringBitmap;

/**
 * The users a segment definition selects at a time, with the labels of what it was built from: the
 * platform's own attributes, and the signals of each partner in {@code sources}, for each rule set
 * its members fall under. Only users who consented to ad targeting — by the platform and by every
 * partner in {@code sources} — are members: {@link AudienceIndex} builds it so.
 *
 * @param members the user ids; owned by this audience, never shared with the index
 */
public record Audience(
    Predicate definition,
    RoaringBitmap members,
    Set<PartyId> sources,
    LabelSet labels,
    Instant at) {
  /** Validates. */
  public Audience {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(members, "members");
    sources = Set.copyOf(sources);
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(at, "at");
  }

  /**
   * @return how many users the audience has
   */
  public int size() {
    return members.getCardinality();
  }

  /**
   * @return whether {@code user} is a member
   */
  public boolean contains(long user) {
    return user > 0 && user <= Integer.MAX_VALUE && members.contains((int) user);
  }
}
