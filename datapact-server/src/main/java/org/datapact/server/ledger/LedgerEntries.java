package org.datapact.server.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.decision.Decision;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.label.Label;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.datapact.ledger.subject.SubjectKeys;
import org.datapact.store.policy.OdrlCodec;
import org.jspecify.annotations.Nullable;

/**
 * The ledger's entry formats, in one place: JSON objects with a {@code type}. Entries never hold a
 * user id in the clear: a subject appears as the random pseudonym of their ledger key, and their
 * personal fields (their id, their country) are sealed under that key in {@code personal}. Message
 * contents are never written. Decision entries carry every input of the request, and agreement
 * versions, party lists and consent changes are entries too, so a decision can be replayed from the
 * log alone ({@link LedgerReplay}).
 */
public final class LedgerEntries {
  /** Entry types. */
  public static final String DECISION = "decision";

  /** A consent grant or revocation. */
  public static final String CONSENT = "consent";

  /** An agreement version with its status history. */
  public static final String AGREEMENT = "agreement";

  /** The parties and their kinds. */
  public static final String PARTIES = "parties";

  /** A subject's key was destroyed. */
  public static final String ERASURE = "erasure";

  /**
   * Type of an entry recording a governance act: an interest declared in the conflict-of-interest
   * register, an approval of an agreement version, or a recusal (an approval refused).
   */
  public static final String GOVERNANCE = "governance";

  /** A page of users released by a listing endpoint, each allowed by its own decision. */
  public static final String LISTING = "listing";

  /**
   * A decision entry's size without released users, rounded up (a friends page's is ~750 bytes).
   */
  private static final int ENTRY_BYTES = 896;

  /** What each released user adds to an entry: a quoted 32-hex pseudonym and a comma. */
  private static final int PSEUDONYM_BYTES = 35;

  private final ObjectMapper mapper;
  private final LedgerService ledger;
  private final OdrlCodec odrl = new OdrlCodec();

  /**
   * @param mapper writes the JSON
   * @param ledger gives subjects their pseudonyms and keys
   */
  public LedgerEntries(ObjectMapper mapper, LedgerService ledger) {
    this.mapper = mapper;
    this.ledger = ledger;
  }

  /**
   * @param country the subject's country as the decision point saw it (null for a dataset request)
   * @return the entry of a decision
   */
  public byte[] decision(
      String decisionId, DecisionRequest r, Decision d, @Nullable CountryCode country)
      throws DataPactException {
    return decision(decisionId, r, d, country, List.of(), null);
  }

  /**
   * @param released the other users whose data the answer releases (friends listed, connections),
   *     named by their ledger pseudonyms; empty when only the subject's data leaves
   * @param endpoint the API route that released it, or null
   * @return the entry of a decision and of what its answer released
   */
  public byte[] decision(
      String decisionId,
      DecisionRequest r,
      Decision d,
      @Nullable CountryCode country,
      List<UserId> released,
      @Nullable String endpoint)
      throws DataPactException {
    return decision(decisionId, r, d, country, released, endpoint, null);
  }

  /**
   * @param whatIfAskedBy for a what-if question (a decision at a past time that authorizes
   *     nothing), who asked it as {@code role:handle}; null for an authorizing decision
   * @return the entry of a decision, marked {@code whatIf} when it is one
   */
  public byte[] decision(
      String decisionId,
      DecisionRequest r,
      Decision d,
      @Nullable CountryCode country,
      List<UserId> released,
      @Nullable String endpoint,
      @Nullable String whatIfAskedBy)
      throws DataPactException {
    // written with a streaming generator: the hottest entry on the partner API's path
    java.io.ByteArrayOutputStream out =
        new java.io.ByteArrayOutputStream(ENTRY_BYTES + PSEUDONYM_BYTES * released.size());
    try (com.fasterxml.jackson.core.JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", DECISION);
      g.writeStringField("decisionId", decisionId);
      g.writeStringField("at", r.at().toString());
      g.writeStringField("principal", r.principal().value());
      if (r.subject() == null) {
        g.writeNullField("subject");
        g.writeNullField("personal");
      } else {
        SubjectKeys.Subject s = ledger.subject(r.subject());
        g.writeStringField("subject", s.pseudonym());
        g.writeStringField("personal", s.seal(personal(r.subject().value(), country)));
      }
      g.writeArrayFieldStart("labels");
      List<Label> labels = new java.util.ArrayList<>(r.labels().labels());
      labels.sort(
          java.util.Comparator.comparing((Label l) -> l.source().value())
              .thenComparing(l -> l.category().wire())
              .thenComparing(l -> l.jurisdiction().value()));
      for (Label l : labels) {
        g.writeStartObject();
        g.writeStringField("source", l.source().value());
        g.writeStringField("category", l.category().wire());
        g.writeStringField("jurisdiction", l.jurisdiction().value());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("scope", r.scope().wire());
      g.writeStringField("purpose", r.purpose().wire());
      g.writeStringField("onBehalfOf", r.onBehalfOf() == null ? null : r.onBehalfOf().value());
      g.writeNumberField("recentUses", r.recentUses());
      g.writeStringField("effect", d.effect().wire());
      g.writeArrayFieldStart("reasons");
      for (String reason : reasons(d)) {
        g.writeString(reason);
      }
      g.writeEndArray();
      g.writeStringField("agreementVersion", d.agreementVersion());
      g.writeStringField("policyHash", d.policyHash());
      if (d.policyPosition() >= 0) {
        // the last entry of this shard whose policy the decision saw (LedgerReplay)
        g.writeNumberField("policyThrough", d.policyPosition());
      }
      if (endpoint != null) {
        g.writeStringField("endpoint", endpoint);
      }
      if (whatIfAskedBy != null) {
        g.writeBooleanField("whatIf", true);
        g.writeStringField("askedBy", whatIfAskedBy);
      }
      if (!released.isEmpty()) {
        g.writeArrayFieldStart("released");
        for (UserId u : released) {
          g.writeString(ledger.subject(u).pseudonym());
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (java.io.IOException ex) {
      throw new IllegalStateException(
          "cannot serialise a ledger entry", ex); // INVARIANT: in-memory output
    }
    return out.toByteArray();
  }

  /**
   * @return the sealed personal fields' plaintext: the user id and, when known, the country
   */
  private static byte[] personal(long userId, @Nullable CountryCode country) {
    // a country code is two ASCII letters: nothing to escape
    String json =
        country == null
            ? "{\"user\":" + userId + "}"
            : "{\"user\":" + userId + ",\"country\":\"" + country.value() + "\"}";
    return json.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * @param released the users the page releases, each allowed by the decision point for this
   *     principal, scope and purpose
   * @param denied how many candidates the decision point refused (left out of the page)
   * @return the entry of a listing page
   */
  public byte[] listing(
      String listingId,
      PartyId principal,
      org.datapact.core.policy.Scope scope,
      org.datapact.core.policy.Purpose purpose,
      Instant at,
      String endpoint,
      List<UserId> released,
      int denied)
      throws DataPactException {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", LISTING);
    e.put("decisionId", listingId);
    e.put("at", at.toString());
    e.put("principal", principal.value());
    e.put("scope", scope.wire());
    e.put("purpose", purpose.wire());
    e.put("endpoint", endpoint);
    List<String> pseudonyms = new java.util.ArrayList<>(released.size());
    for (UserId u : released) {
      pseudonyms.add(ledger.subject(u).pseudonym());
    }
    e.put("released", pseudonyms);
    e.put("denied", denied);
    return write(e);
  }

  /**
   * @return the reasons of a decision as entries write them ({@code "<code> <rule>"})
   */
  static List<String> reasons(Decision d) {
    return d.reasons().stream().map(x -> x.code().wire() + " " + x.rule()).toList();
  }

  /**
   * @return the entry of a consent change
   */
  public byte[] consent(ConsentChange c) throws DataPactException {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", CONSENT);
    e.put("at", c.at().toString());
    subject(e, c.user().value(), null);
    e.put("party", c.party().value());
    e.put("topic", c.topic().wire());
    e.put("action", c.granted() ? "grant" : "revoke");
    e.put("expiresAt", c.expiresAt() == null ? null : c.expiresAt().toString());
    e.put("basis", c.basis().wire());
    e.put("source", c.source());
    return write(e);
  }

  /**
   * @return the entry of an agreement version and its status history so far
   */
  public byte[] agreement(AgreementRecord r) {
    ObjectNode e = mapper.createObjectNode();
    e.put("type", AGREEMENT);
    e.put("agreementId", r.terms().agreementId());
    e.put("version", r.terms().version());
    e.set("document", odrl.toOdrl(r.terms()));
    var history = e.putArray("history");
    for (AgreementRecord.StatusChange c : r.history()) {
      history
          .addObject()
          .put("status", c.status().wire())
          .put("at", c.at().toString())
          .put("by", c.by());
    }
    return write(e);
  }

  /**
   * @return the entry listing every party and its kind
   */
  public byte[] parties(Map<PartyId, PartyKind> kinds) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", PARTIES);
    Map<String, String> sorted = new TreeMap<>();
    kinds.forEach((p, k) -> sorted.put(p.value(), k.wireName()));
    e.put("parties", sorted);
    return write(e);
  }

  /**
   * @return the entry recording a governance act by {@code by} at {@code at}, with its details
   *     (strings, in a stable order)
   */
  public byte[] governance(Instant at, String action, String by, Map<String, String> detail) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", GOVERNANCE);
    e.put("at", at.toString());
    e.put("action", action);
    e.put("by", by);
    e.put("detail", new TreeMap<>(detail));
    return write(e);
  }

  /**
   * @return the entry recording that a subject's key was destroyed; it names nobody
   */
  public byte[] erasure(Instant at, String requestedBy) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", ERASURE);
    e.put("at", at.toString());
    e.put("requestedBy", requestedBy);
    return write(e);
  }

  private void subject(Map<String, Object> e, long userId, @Nullable CountryCode country)
      throws DataPactException {
    if (userId == 0) {
      e.put("subject", null);
      e.put("personal", null);
      return;
    }
    SubjectKeys.Subject s = ledger.subject(UserId.of(userId));
    e.put("subject", s.pseudonym());
    e.put("personal", s.seal(personal(userId, country)));
  }

  byte[] write(Object e) {
    try {
      return mapper.writeValueAsBytes(e);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(
          "cannot serialise a ledger entry", ex); // INVARIANT: maps of strings serialise
    }
  }

  // ------------------------------------------------------------------ reading

  /**
   * @return the first bytes of every entry of {@code type} as this class writes them ({@code
   *     {"type":"<type>"}), for scans that skip other entries without parsing them
   */
  public static byte[] typePrefix(String type) {
    return ("{\"type\":\"" + type + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * @return whether {@code entry} begins with {@code prefix} (a {@link #typePrefix})
   */
  public static boolean hasPrefix(byte[] entry, byte[] prefix) {
    return entry.length >= prefix.length
        && java.util.Arrays.equals(entry, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * @return an entry parsed
   */
  public static ObjectNode parse(ObjectMapper mapper, byte[] entry) throws IOException {
    JsonNode n = mapper.readTree(entry);
    if (!(n instanceof ObjectNode o)) {
      throw new IOException("a ledger entry is not a JSON object");
    }
    return o;
  }

  /** The personal fields of an entry, opened. */
  public record Personal(long user, Optional<CountryCode> country) {}

  /**
   * Opens an entry's personal fields with its subject's key.
   *
   * @return empty when the entry has none or the subject was erased (crypto-shredded)
   */
  public static Optional<Personal> open(ObjectMapper mapper, SubjectKeys keys, JsonNode entry)
      throws IOException {
    return open(
        mapper, keys, entry.path("subject").asText(null), entry.path("personal").asText(null));
  }

  /**
   * Opens the sealed personal fields of {@code subject}'s entry with their key.
   *
   * @return empty when there are none or the subject was erased (crypto-shredded)
   */
  public static Optional<Personal> open(
      ObjectMapper mapper, SubjectKeys keys, @Nullable String subject, @Nullable String sealed)
      throws IOException {
    if (subject == null || sealed == null) {
      return Optional.empty();
    }
    OptionalLong user = keys.userOf(subject);
    if (user.isEmpty()) {
      return Optional.empty();
    }
    JsonNode p;
    try {
      p = mapper.readTree(keys.find(user.getAsLong()).orElseThrow().open(sealed));
    } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
      return Optional.empty();
    }
    String country = p.path("country").asText(null);
    return Optional.of(
        new Personal(p.path("user").asLong(), Optional.ofNullable(country).map(CountryCode::of)));
  }

  /**
   * @return the entry as a reader with access to personal data sees it: {@code personal} replaced
   *     by its opened fields, or by {@code "erased"} once the subject's key is gone
   */
  public static ObjectNode view(ObjectMapper mapper, SubjectKeys keys, long index, byte[] entry)
      throws IOException {
    ObjectNode e = parse(mapper, entry);
    ObjectNode out = mapper.createObjectNode();
    out.put("index", index);
    out.setAll(e);
    if (e.hasNonNull("personal")) {
      Optional<Personal> p = open(mapper, keys, e);
      if (p.isPresent()) {
        ObjectNode o = out.putObject("personal");
        o.put("user", p.get().user());
        p.get().country().ifPresent(c -> o.put("country", c.value()));
      } else {
        out.put("personal", "erased");
      }
    }
    return out;
  }
}
