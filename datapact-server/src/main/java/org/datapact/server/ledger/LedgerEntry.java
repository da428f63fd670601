package org.datapact.server.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.label.Label;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.jspecify.annotations.Nullable;

/**
 * A ledger entry as its readers see it: one record per kind, decoded by {@link EntryCodec} — the
 * one place that reads the entries' field names ({@link LedgerEntries} writes them; a seeded
 * round-trip test holds the two together). Sealed: a reader handles the six kinds and no string
 * {@code type} is compared anywhere else.
 *
 * <p>A subject appears only as their ledger pseudonym; their id and country stay sealed in {@code
 * personal} (opened with {@link LedgerEntries#open} while their key exists).
 */
sealed interface LedgerEntry
    permits LedgerEntry.DecisionEntry,
        LedgerEntry.ListingEntry,
        LedgerEntry.ConsentEntry,
        LedgerEntry.AgreementEntry,
        LedgerEntry.PartiesEntry,
        LedgerEntry.ErasureEntry,
        LedgerEntry.GovernanceEntry {

  /**
   * @return the pseudonyms the entry is in the own view of (indexed under)
   */
  /**
   * @return the entry's {@code type} as written, e.g. {@code decision}
   */
  String type();

  List<String> subjects();

  /**
   * A decision of the decision point, with every input of its request.
   *
   * @param subject the subject's pseudonym, null for a dataset request
   * @param personal the subject's sealed id and country, null with the subject
   * @param reasons each {@code code: detail}
   * @param endpoint the route that released it, null for entries written before routes were named
   * @param askedBy for a what-if, who asked ({@code role:handle}); null for an authorizing decision
   * @param released the pseudonyms of the other users its answer released
   * @param policyThrough the index of the last entry of this shard whose policy change the decision
   *     point had applied when it decided; -1 for entries written before it was recorded
   */
  record DecisionEntry(
      String decisionId,
      Instant at,
      PartyId principal,
      @Nullable String subject,
      @Nullable String personal,
      List<Label> labels,
      Scope scope,
      Purpose purpose,
      @Nullable PartyId onBehalfOf,
      int recentUses,
      String effect,
      List<String> reasons,
      @Nullable String agreementVersion,
      String policyHash,
      @Nullable String endpoint,
      @Nullable String askedBy,
      List<String> released,
      long policyThrough)
      implements LedgerEntry {
    /**
     * @return the request the entry records, about {@code user} (its subject, opened from the
     *     sealed fields; null for a dataset or an erased subject)
     */
    public org.datapact.core.decision.DecisionRequest request(
        org.datapact.core.user.@org.jspecify.annotations.Nullable UserId user) {
      return new org.datapact.core.decision.DecisionRequest(
          principal,
          user,
          new org.datapact.core.label.LabelSet(new java.util.HashSet<>(labels)),
          scope,
          purpose,
          at,
          onBehalfOf,
          recentUses);
    }

    /**
     * @return whether it is a what-if: a decision at a past time that authorizes nothing
     */
    public boolean whatIf() {
      return askedBy != null;
    }

    @Override
    public String type() {
      return LedgerEntries.DECISION;
    }

    @Override
    public List<String> subjects() {
      // the users a decision releases besides its subject are named, not indexed (AuditTrail)
      return subject == null ? List.of() : List.of(subject);
    }
  }

  /** A page of users each allowed by its own decision (connections), indexed under each of them. */
  record ListingEntry(
      String listingId,
      Instant at,
      PartyId principal,
      Scope scope,
      Purpose purpose,
      String endpoint,
      List<String> released,
      int denied)
      implements LedgerEntry {
    @Override
    public String type() {
      return LedgerEntries.LISTING;
    }

    @Override
    public List<String> subjects() {
      return released;
    }
  }

  /** A consent change, committed before it reaches the store's history and the decision point. */
  record ConsentEntry(
      Instant at,
      String subject,
      String personal,
      PartyId party,
      ConsentTopic topic,
      boolean granted,
      @Nullable Instant expiresAt,
      ConsentBasis basis,
      String source)
      implements LedgerEntry {
    @Override
    public String type() {
      return LedgerEntries.CONSENT;
    }

    @Override
    public List<String> subjects() {
      return List.of(subject);
    }
  }

  /**
   * An agreement version as ODRL, with its status history.
   *
   * @param document the version's ODRL document
   */
  record AgreementEntry(
      String agreementId,
      int version,
      JsonNode document,
      List<AgreementRecord.StatusChange> history)
      implements LedgerEntry {
    /**
     * @return {@code agreementId@version}
     */
    public String ref() {
      return agreementId + "@" + version;
    }

    @Override
    public String type() {
      return LedgerEntries.AGREEMENT;
    }

    @Override
    public List<String> subjects() {
      return List.of();
    }
  }

  /** Every party's kind, as the decision point knows them from this entry on. */
  record PartiesEntry(Map<PartyId, PartyKind> parties) implements LedgerEntry {
    @Override
    public String type() {
      return LedgerEntries.PARTIES;
    }

    @Override
    public List<String> subjects() {
      return List.of();
    }
  }

  /** An erasure (crypto-shredding), naming nobody. */
  record ErasureEntry(Instant at, String requestedBy) implements LedgerEntry {
    @Override
    public String type() {
      return LedgerEntries.ERASURE;
    }

    @Override
    public List<String> subjects() {
      return List.of();
    }
  }

  /** A governance act: an interest declared, an agreement version approved, an approval recused. */
  record GovernanceEntry(Instant at, String action, String by, Map<String, String> detail)
      implements LedgerEntry {
    @Override
    public String type() {
      return LedgerEntries.GOVERNANCE;
    }

    @Override
    public List<String> subjects() {
      return List.of();
    }
  }
}
