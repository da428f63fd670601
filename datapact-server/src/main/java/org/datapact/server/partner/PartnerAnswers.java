package org.datapact.server.partner;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.datapact.server.release.ReleaseUsage;
import org.jspecify.annotations.Nullable;

/** What the partner API answers: records, serialised as they are declared. */
final class PartnerAnswers {
  private PartnerAnswers() {}

  /** One page of a list answer: the items and the cursor of the next page, null on the last. */
  record Page<T>(List<T> data, @Nullable String next) {}

  /** A user's basic profile as a partner sees it. */
  record Profile(String id, String displayName, String country) {}

  /** A friend as a partner sees it. */
  record Friend(String id, String displayName) {}

  /** A user a partner may reach (connections). */
  record Connection(String id) {}

  /** An inbox thread. */
  record InboxThread(String id, String subject, @Nullable String via, String createdAt) {}

  /** A message of a thread. */
  record Message(String id, String from, String sentAt, String body, @Nullable String via) {}

  /** One recipient's copy of a recommendation. */
  record Sent(String to, String thread, int links) {}

  /** The answer to a send. */
  record Sends(List<Sent> sent) {}

  /** The id of what was created (an activity signal). */
  record Created(String id) {}

  /**
   * A partner's observed usage.
   *
   * @param recommendations per day, the sends and clicks of its recommendations
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Usage(
      String partner,
      Map<String, Map<String, Long>> calls,
      List<ReleaseUsage.Denial> recentDenials,
      List<org.datapact.store.partner.PartnerData.DailyCount> recommendations) {}
}
