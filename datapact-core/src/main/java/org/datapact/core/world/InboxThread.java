package org.datapact.core.world;

import java.time.Instant;
import java.util.Objects;
import org.datapact.core.party.PartyId;
import org.jspecify.annotations.Nullable;

/**
 * A private conversation between users.
 *
 * @param id thread id
 * @param subject a short subject line
 * @param viaParty the partner app that took part in the thread (a recommendation sent through it),
 *     or null for a thread no app took part in
 * @param createdAt when the thread started
 * @param participants the users in the thread, ascending, at least two
 */
public record InboxThread(
    long id, String subject, @Nullable PartyId viaParty, Instant createdAt, long[] participants) {
  /** Validates every field and copies the participants. */
  public InboxThread {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(createdAt, "createdAt");
    participants = participants.clone();
    if (participants.length < 2) {
      throw new IllegalArgumentException("thread `" + id + "` needs at least two participants");
    }
  }

  /**
   * @return a copy of the participants
   */
  @Override
  public long[] participants() {
    return participants.clone();
  }
}
