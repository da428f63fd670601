package org.datapact.core.world;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Filing;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.user.User;
import org.jspecify.annotations.Nullable;

/**
 * The decision point's snapshot of a world, built from the generator's batches while the store
 * writes them, and the consent history in order: at a first start, the snapshot, the ads index and
 * the ledger's consent entries are made from them instead of reading back the millions of rows just
 * written (docs/benchmarks.md). It stands for the store only while the store holds exactly what was
 * generated ({@link #standsFor}); otherwise the snapshot is loaded from the store as on any other
 * start.
 *
 * <p>Fed in the generator's order ({@link WorldSink}: parties, then users, then the consent history
 * in order) by the one thread that writes the world, then taken once. Not thread-safe.
 */
public final class GeneratedPolicy {
  private final Jurisdictions jurisdictions;
  private List<ConsentChange> history = new ArrayList<>();
  private final Map<PartyId, PartyKind> kinds = new HashMap<>();
  private PolicySnapshot.@Nullable Builder builder;
  private Map<PartyId, PartyKind> builtWith = Map.of();
  private long users;
  private long consents;
  private boolean taken;

  /** A policy to be fed by a generation. */
  public GeneratedPolicy(Jurisdictions jurisdictions) {
    this.jurisdictions = jurisdictions;
  }

  /** The world's parties, before any user. */
  public void parties(List<Party> parties) {
    if (builder != null) {
      throw new IllegalStateException("parties after users: the generator's order is broken");
    }
    parties.forEach(p -> kinds.put(p.id(), p.kind()));
  }

  /** A batch of users as stored. */
  public void users(List<User> batch) {
    PolicySnapshot.Builder b = builder();
    for (User u : batch) {
      b.subject(u.id(), u.country());
    }
    users += batch.size();
  }

  /** A batch of the consent history as stored, in order. */
  public void consents(List<ConsentChange> batch) {
    PolicySnapshot.Builder b = builder();
    for (ConsentChange c : batch) {
      b.consent(c);
    }
    history.addAll(batch);
    consents += batch.size();
  }

  private PolicySnapshot.Builder builder() {
    if (taken) {
      throw new IllegalStateException("the generated policy was taken already");
    }
    if (builder == null) {
      builtWith = Map.copyOf(kinds);
      builder = PolicySnapshot.builder(jurisdictions, builtWith);
    }
    return builder;
  }

  /**
   * @param storedUsers how many users the store holds (or a bound at least that, such as the span
   *     of their ids)
   * @param storedConsents how many consent changes the store holds (or such a bound)
   * @param storedKinds the parties the store holds, with their kinds
   * @return whether a store holding these holds what was generated: nothing was written to it
   *     beside the generator (another node's consent change during the first start, say), so the
   *     snapshot built here is the one its rows give
   */
  public boolean standsFor(
      long storedUsers, long storedConsents, Map<PartyId, PartyKind> storedKinds) {
    return builder != null // null before any user, and once taken
        && storedUsers == users
        && storedConsents == consents
        && storedKinds.equals(builtWith);
  }

  /**
   * @return the snapshot of the generated world, with the agreements and filings the store holds (a
   *     few rows, read by the caller); once only
   */
  public PolicySnapshot snapshot(Collection<AgreementRecord> agreements, List<Filing> filings) {
    PolicySnapshot.Builder b = builder();
    taken = true;
    builder = null; // held by whoever holds the snapshot from now on, not here as well
    b.agreements(agreements);
    filings.forEach(b::filing);
    return b.build();
  }

  /**
   * @return whether the snapshot was taken ({@link #snapshot})
   */
  public boolean taken() {
    return taken;
  }

  /**
   * @return the consent history as generated, in order; once only (it is not held here afterwards:
   *     millions of changes at a first start)
   */
  public List<ConsentChange> history() {
    List<ConsentChange> h = history;
    history = List.of();
    return h;
  }
}
