package org.datapact.core.world;

import java.util.HashMap;
import java.util.Map;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.jurisdiction.Jurisdictions;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.security.SecretHasher;

/** Builds the decision snapshot of a generated demo world, for tests. */
public final class DemoSnapshots {
  private DemoSnapshots() {}

  /** The day the demo world's snapshots are built as of: its reports are filed up to then. */
  public static final java.time.Instant AS_OF = java.time.Instant.parse("2026-11-29T00:00:00Z");

  public static PolicySnapshot build(long seed, int users) throws Exception {
    CollectingSink sink = new CollectingSink();
    new DemoWorldGenerator(new SecretHasher(10_000))
        .generate(new WorldSpec(seed, users), sink, ProgressListener.NONE);
    Map<PartyId, PartyKind> kinds = new HashMap<>();
    for (Party p : sink.parties) {
      kinds.put(p.id(), p.kind());
    }
    PolicySnapshot.Builder b =
        PolicySnapshot.builder(Jurisdictions.standard(), kinds).agreements(sink.agreements);
    sink.users.values().forEach(u -> b.subject(u.id(), u.country()));
    sink.consents.forEach(b::consent);
    DemoReciprocity.filings(sink.agreements, AS_OF, seed)
        .forEach(
            f ->
                b.filing(
                    new org.datapact.core.agreement.Filing(
                        f.partner(), f.metric(), f.period().toString())));
    return b.build();
  }
}
