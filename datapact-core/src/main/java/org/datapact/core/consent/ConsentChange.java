package org.datapact.core.consent;

import java.time.Instant;
import java.util.Objects;
import org.datapact.core.party.PartyId;
import org.datapact.core.user.UserId;
import org.jspecify.annotations.Nullable;

/**
 * One change of a user's consent: a grant or a revocation for one party and topic. Consent history
 * is the append-only sequence of these; a revocation never erases the grant before it.
 *
 * @param user the data subject
 * @param party the party the consent is given to (a partner, or {@code platform} for internal use)
 * @param topic a purpose, or a special topic such as video sharing
 * @param granted true for a grant, false for a revocation
 * @param at when the change happened
 * @param expiresAt when a grant lapses; null for a revocation, or for a grant without end
 * @param basis how it was given
 * @param source where the change came from, e.g. {@code privacy-center}, {@code demo-generator}
 */
public record ConsentChange(
    UserId user,
    PartyId party,
    ConsentTopic topic,
    boolean granted,
    Instant at,
    @Nullable Instant expiresAt,
    ConsentBasis basis,
    String source) {

  /** Validates the fields and their combination. */
  public ConsentChange {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(source, "source");
    if (!granted && expiresAt != null) {
      throw new IllegalArgumentException("a revocation has no expiry");
    }
    if (expiresAt != null && !expiresAt.isAfter(at)) {
      throw new IllegalArgumentException(
          "consent expiry `" + expiresAt + "` must be after the grant `" + at + "`");
    }
  }

  /**
   * @return a grant
   */
  public static ConsentChange grant(
      UserId user,
      PartyId party,
      ConsentTopic topic,
      Instant at,
      @Nullable Instant expiresAt,
      ConsentBasis basis,
      String source) {
    return new ConsentChange(user, party, topic, true, at, expiresAt, basis, source);
  }

  /**
   * @return a revocation
   */
  public static ConsentChange revoke(
      UserId user, PartyId party, ConsentTopic topic, Instant at, String source) {
    return new ConsentChange(user, party, topic, false, at, null, ConsentBasis.EXPLICIT, source);
  }

  /**
   * @return a canonical, unambiguous text form, used for hashing
   */
  public String canonical() {
    return String.join(
        "|",
        Long.toString(user.value()),
        party.value(),
        topic.wire(),
        granted ? "grant" : "revoke",
        at.toString(),
        expiresAt == null ? "-" : expiresAt.toString(),
        basis.wire(),
        source);
  }
}
