package org.datapact.core.world;

import java.time.Instant;
import java.util.Objects;
import org.datapact.core.party.PartyId;
import org.jspecify.annotations.Nullable;

/**
 * One message in an inbox thread.
 *
 * @param id message id
 * @param threadId the thread it belongs to
 * @param senderId the user who sent it
 * @param sentAt when it was sent
 * @param body the text
 * @param viaParty the partner app it was sent through, or null
 */
public record Message(
    long id,
    long threadId,
    long senderId,
    Instant sentAt,
    String body,
    @Nullable PartyId viaParty) {
  /** Validates every field. */
  public Message {
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(body, "body");
  }
}
