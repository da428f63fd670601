package org.datapact.core.decision;

import java.util.Objects;
import org.datapact.core.consent.ConsentChange;

/**
 * The one decision point: answers every request from the current {@link PolicySnapshot}, and
 * publishes a new snapshot for every change. Readers never block: a decision reads the snapshot
 * reference once and decides against that immutable value; writers are serialised among themselves
 * and swap the reference, so the very next decision sees the change.
 *
 * <p>Thread-safe.
 */
public final class DecisionPoint {
  /** Written under this object's lock, read without it. */
  private volatile PolicySnapshot current;

  /** Where the log that records policy changes ends now ({@link PolicySnapshot#at}). */
  private java.util.function.LongSupplier position = () -> -1;

  private final java.util.List<java.util.function.Consumer<ConsentChange>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param initial the first snapshot
   */
  public DecisionPoint(PolicySnapshot initial) {
    this.current = Objects.requireNonNull(initial, "initial");
  }

  /**
   * @return the decision for {@code request} under the current snapshot
   */
  public Decision decide(DecisionRequest request) {
    return current.decide(request);
  }

  /**
   * @return whether {@link #decide} would allow the request, without building its reasons
   */
  public boolean allows(DecisionRequest request) {
    return current.allows(request);
  }

  /**
   * @return the current snapshot
   */
  public PolicySnapshot snapshot() {
    return current;
  }

  /**
   * Positions every snapshot published from now on, the current one at once, at where {@code
   * position} says the log of policy changes ends when it is published. The caller records every
   * change in that log before it applies it here, both under this object's lock, so that the log
   * holds no change beyond what the snapshot holds when it is published.
   */
  public synchronized void positionedBy(java.util.function.LongSupplier position) {
    this.position = position;
    current = current.at(position.getAsLong());
  }

  /**
   * Publishes the same policy at where the log of policy changes ends now: after the caller
   * recorded changes the snapshot holds already (an erased user's consents carried over to a new
   * identity).
   */
  public synchronized void advanced() {
    current = current.at(position.getAsLong());
  }

  private PolicySnapshot publish(PolicySnapshot next) {
    PolicySnapshot positioned = next.at(position.getAsLong());
    current = positioned;
    return positioned;
  }

  /** Applies a consent change; the next decision sees it. @return the new snapshot */
  public synchronized PolicySnapshot apply(ConsentChange change) {
    return applyAll(java.util.List.of(change));
  }

  /**
   * Applies consent changes in order and publishes one snapshot holding them all (no decision sees
   * only some of them); the next decision sees them. @return the new snapshot
   */
  public synchronized PolicySnapshot applyAll(java.util.List<ConsentChange> changes) {
    PolicySnapshot next = current;
    for (ConsentChange change : changes) {
      next = next.withConsent(change);
    }
    next = publish(next);
    for (ConsentChange change : changes) {
      for (java.util.function.Consumer<ConsentChange> l : listeners) {
        l.accept(change); // in the snapshot's order: applied under this lock
      }
    }
    return next;
  }

  /**
   * Registers what else must follow every consent change the decision point applies (the audience
   * index of ads), called in the order of the changes, after the new snapshot is published.
   */
  public void onConsentChange(java.util.function.Consumer<ConsentChange> listener) {
    listeners.add(listener);
  }

  /**
   * Registers a party; requests of and consents for it can be decided from the next decision on.
   *
   * @return the new snapshot
   */
  public synchronized PolicySnapshot applyParty(
      org.datapact.core.party.PartyId party, org.datapact.core.party.PartyKind kind) {
    return publish(current.withParty(party, kind));
  }

  /**
   * Records a filed report; a permission its duty had suspended is decided again from the next
   * decision on. @return the new snapshot
   */
  public synchronized PolicySnapshot applyFiling(org.datapact.core.agreement.Filing filing) {
    return publish(current.withFiling(filing));
  }

  /**
   * Replaces the agreement records (a status change); the next decision sees them. @return the new
   * snapshot
   */
  public synchronized PolicySnapshot applyAgreements(
      java.util.Collection<org.datapact.core.agreement.AgreementRecord> records) {
    return publish(current.withAgreements(records));
  }
}
