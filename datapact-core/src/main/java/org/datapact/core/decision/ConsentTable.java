package org.datapact.core.decision;

import java.util.Arrays;
import java.util.Locale;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.policy.Purpose;

/**
 * A subject's current consents, packed: two longs per consent, kept in a flat array so that a
 * decision reads them without allocating. The layout, and only here:
 *
 * <pre>
 *   head   = key &lt;&lt; 40 | explicit &lt;&lt; 39 | grantedAt   (epoch seconds, 39 bits: until year 19391)
 *   expiry = epoch seconds, or Long.MAX_VALUE for none
 *   key    = party index × TOPICS + topic index
 * </pre>
 *
 * where a topic index is a purpose's ordinal, or {@code purposes + ordinal} for a special topic
 * (each special consent under its own topic). Immutable arrays: an update returns a new array.
 */
// the compiled tables are indexed by scope, purpose and topic ordinals: that is the point
@SuppressWarnings("EnumOrdinal")
final class ConsentTable {
  /** Consent topics: one per purpose, then one per special topic. */
  static final int TOPICS = Purpose.values().length + ConsentTopic.Special.values().length;

  private static final int KEY_SHIFT = 40;
  private static final long EXPLICIT_BIT = 1L << 39;
  private static final long GRANTED_MASK = EXPLICIT_BIT - 1;

  /** No consents. */
  static final long[] NONE = new long[0];

  private ConsentTable() {}

  /**
   * A subject's country (an index into {@link Countries#CODES}) and current consents. Immutable.
   */
  static final class Subject {
    final short country;
    final long[] consents;

    Subject(short country, long[] consents) {
      this.country = country;
      this.consents = consents;
    }
  }

  /**
   * @return the index of a consent topic: its own, whatever its kind
   */
  static int topicIndex(ConsentTopic topic) {
    return topic instanceof ConsentTopic.ForPurpose fp
        ? fp.purpose().ordinal()
        : Purpose.values().length + ((ConsentTopic.Special) topic).ordinal();
  }

  /**
   * @return the key of {@code party}'s consent for {@code topic}, or -1 when no consent can name
   *     the party
   */
  static long key(int party, int topic) {
    return party < 0 ? -1 : (long) party * TOPICS + topic;
  }

  /**
   * @return the position of the consent with {@code key} in {@code consents}, or -1
   */
  static int find(long[] consents, long key) {
    for (int i = 0; i < consents.length; i += 2) {
      if (consents[i] >>> KEY_SHIFT == key) {
        return i;
      }
    }
    return -1;
  }

  /**
   * @return when the consent at {@code i} was given, epoch seconds
   */
  static long grantedAt(long[] consents, int i) {
    return consents[i] & GRANTED_MASK;
  }

  /**
   * @return when the consent at {@code i} expires, epoch seconds ({@link Long#MAX_VALUE}: never)
   */
  static long expiresAt(long[] consents, int i) {
    return consents[i + 1];
  }

  /**
   * @return whether the consent at {@code i} was given explicitly, not with the terms
   */
  static boolean explicit(long[] consents, int i) {
    return (consents[i] & EXPLICIT_BIT) != 0;
  }

  /**
   * @return {@code consents} with a change by {@code party} applied: a grant replaces or adds, a
   *     revocation removes
   * @throws IllegalArgumentException if the grant's time does not fit the layout
   */
  static long[] apply(long[] consents, int party, ConsentChange c) {
    long key = key(party, topicIndex(c.topic()));
    int found = find(consents, key);
    if (!c.granted()) {
      if (found < 0) {
        return consents;
      }
      long[] out = new long[consents.length - 2];
      System.arraycopy(consents, 0, out, 0, found);
      System.arraycopy(consents, found + 2, out, found, consents.length - found - 2);
      return out;
    }
    long granted = c.at().getEpochSecond();
    if (granted < 0 || granted > GRANTED_MASK) {
      throw new IllegalArgumentException("consent time `" + c.at() + "` is out of range");
    }
    long head =
        key << KEY_SHIFT | (c.basis() == ConsentBasis.EXPLICIT ? EXPLICIT_BIT : 0) | granted;
    var expires = c.expiresAt();
    long expiry = expires == null ? Long.MAX_VALUE : expires.getEpochSecond();
    long[] out = found >= 0 ? consents.clone() : Arrays.copyOf(consents, consents.length + 2);
    int at = found >= 0 ? found : consents.length;
    out[at] = head;
    out[at + 1] = expiry;
    return out;
  }

  /**
   * Countries as small indexes, sorted: a subject holds a short, a permission a boolean per
   * country.
   */
  static final class Countries {
    static final String[] CODES = Locale.getISOCountries();

    /**
     * {@link #CODES} as country codes, by the same index: made once, not per compiled permission.
     */
    static final org.datapact.core.user.CountryCode[] COUNTRIES;

    private static final java.util.Map<String, Short> INDEX = new java.util.HashMap<>();

    static {
      Arrays.sort(CODES);
      COUNTRIES = new org.datapact.core.user.CountryCode[CODES.length];
      for (short i = 0; i < CODES.length; i++) {
        INDEX.put(CODES[i], i);
        COUNTRIES[i] = org.datapact.core.user.CountryCode.of(CODES[i]);
      }
    }

    private Countries() {}

    /**
     * @throws IllegalArgumentException if the JDK does not know the country
     */
    static short index(org.datapact.core.user.CountryCode c) {
      Short i = INDEX.get(c.value());
      if (i == null) {
        throw new IllegalArgumentException(
            "country `" + c + "` is not in this JDK's ISO 3166 list");
      }
      return i;
    }
  }
}
