package org.datapact.core.decision;

import java.time.Instant;
import java.util.Objects;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.jspecify.annotations.Nullable;

/**
 * A question to the decision point: may {@code principal} exercise {@code scope} for {@code
 * purpose} at {@code at}, on the data of {@code subject} (or on a dataset with {@code labels})?
 *
 * @param principal the partner or internal unit asking
 * @param subject the user whose data it is, or null for a dataset request
 * @param labels the data's labels; for a subject request the platform's own labels are implied when
 *     empty
 * @param scope what the principal wants to do
 * @param purpose why
 * @param at when (decisions are a pure function of the snapshot and this time)
 * @param onBehalfOf the party the use serves (e.g. the advertiser whose campaign it is), or null
 * @param recentUses how many allowed requests the principal made in the current rate-limit window,
 *     as counted by the enforcement point
 */
public record DecisionRequest(
    PartyId principal,
    @Nullable UserId subject,
    LabelSet labels,
    Scope scope,
    Purpose purpose,
    Instant at,
    @Nullable PartyId onBehalfOf,
    int recentUses) {

  /** Validates. */
  public DecisionRequest {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(at, "at");
    if (recentUses < 0) {
      throw new IllegalArgumentException("recent uses must not be negative");
    }
    if (subject == null && labels.isEmpty()) {
      throw new IllegalArgumentException(
          "a request names a subject user or the labels of a dataset");
    }
  }

  /**
   * @return a request about one user's data
   */
  public static DecisionRequest about(
      PartyId principal, UserId subject, Scope scope, Purpose purpose, Instant at) {
    return new DecisionRequest(principal, subject, LabelSet.EMPTY, scope, purpose, at, null, 0);
  }

  /**
   * @return this request with labels
   */
  public DecisionRequest withLabels(LabelSet l) {
    return new DecisionRequest(principal, subject, l, scope, purpose, at, onBehalfOf, recentUses);
  }

  /**
   * @return this request with a usage count
   */
  public DecisionRequest withRecentUses(int n) {
    return new DecisionRequest(principal, subject, labels, scope, purpose, at, onBehalfOf, n);
  }

  /**
   * @return this request at another time
   */
  public DecisionRequest at(Instant t) {
    return new DecisionRequest(
        principal, subject, labels, scope, purpose, t, onBehalfOf, recentUses);
  }
}
