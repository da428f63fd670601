package org.datapact.server.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.label.Label;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.jspecify.annotations.Nullable;

/**
 * Reads ledger entries: the one place that knows their field names on the way in. Every reader —
 * replay, the subject indexer, a user's own view — decodes through here into a {@link LedgerEntry};
 * an entry that does not decode (an unknown type, a missing or malformed field) is an {@link
 * IOException} naming what is wrong, never a guess.
 */
final class EntryCodec {
  private static final JsonFactory JSON = new JsonFactory();

  private final ObjectMapper mapper;

  /**
   * @param mapper reads the entries' JSON
   */
  EntryCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * @return the entry {@code bytes} holds
   */
  public LedgerEntry decode(byte[] bytes) throws IOException {
    JsonNode e = mapper.readTree(bytes);
    if (e == null || !e.isObject()) {
      throw new IOException("a ledger entry is a JSON object");
    }
    String type = text(e, "type");
    try {
      return switch (type) {
        case LedgerEntries.DECISION -> decision(e);
        case LedgerEntries.LISTING ->
            new LedgerEntry.ListingEntry(
                text(e, "decisionId"),
                instant(e, "at"),
                PartyId.of(text(e, "principal")),
                Scope.fromWire(text(e, "scope")),
                Purpose.fromWire(text(e, "purpose")),
                text(e, "endpoint"),
                strings(e, "released"),
                e.path("denied").asInt());
        case LedgerEntries.CONSENT ->
            new LedgerEntry.ConsentEntry(
                instant(e, "at"),
                text(e, "subject"),
                text(e, "personal"),
                PartyId.of(text(e, "party")),
                ConsentTopic.fromWire(text(e, "topic")),
                "grant".equals(text(e, "action")),
                optionalInstant(e, "expiresAt"),
                ConsentBasis.fromWire(text(e, "basis")),
                text(e, "source"));
        case LedgerEntries.AGREEMENT -> agreement(e);
        case LedgerEntries.PARTIES -> parties(e);
        case LedgerEntries.ERASURE ->
            new LedgerEntry.ErasureEntry(instant(e, "at"), text(e, "requestedBy"));
        case LedgerEntries.GOVERNANCE -> governance(e);
        default -> throw new IOException("unknown ledger entry type `" + type + "`");
      };
    } catch (IllegalArgumentException | DateTimeParseException ex) {
      throw new IOException("a `" + type + "` entry does not decode: " + ex.getMessage(), ex);
    }
  }

  private static LedgerEntry.DecisionEntry decision(JsonNode e) throws IOException {
    List<Label> labels = new ArrayList<>();
    for (JsonNode l : e.path("labels")) {
      labels.add(
          new Label(
              PartyId.of(text(l, "source")),
              org.datapact.core.policy.DataCategory.fromWire(text(l, "category")),
              org.datapact.core.jurisdiction.RuleSetId.of(text(l, "jurisdiction"))));
    }
    String onBehalfOf = optional(e, "onBehalfOf");
    return new LedgerEntry.DecisionEntry(
        text(e, "decisionId"),
        instant(e, "at"),
        PartyId.of(text(e, "principal")),
        optional(e, "subject"),
        optional(e, "personal"),
        labels,
        Scope.fromWire(text(e, "scope")),
        Purpose.fromWire(text(e, "purpose")),
        onBehalfOf == null ? null : PartyId.of(onBehalfOf),
        e.path("recentUses").asInt(),
        text(e, "effect"),
        strings(e, "reasons"),
        optional(e, "agreementVersion"),
        text(e, "policyHash"),
        optional(e, "endpoint"),
        e.path("whatIf").asBoolean(false) ? text(e, "askedBy") : null,
        strings(e, "released"),
        e.path("policyThrough").asLong(-1));
  }

  private static LedgerEntry.AgreementEntry agreement(JsonNode e) throws IOException {
    List<AgreementRecord.StatusChange> history = new ArrayList<>();
    for (JsonNode h : e.path("history")) {
      history.add(
          new AgreementRecord.StatusChange(
              AgreementStatus.fromWire(text(h, "status")), instant(h, "at"), text(h, "by")));
    }
    JsonNode document = e.get("document");
    if (document == null || !document.isObject()) {
      throw new IOException("an agreement entry holds its ODRL `document`");
    }
    return new LedgerEntry.AgreementEntry(
        text(e, "agreementId"), e.path("version").asInt(), document, history);
  }

  private static LedgerEntry.GovernanceEntry governance(JsonNode e) throws IOException {
    Map<String, String> detail = new LinkedHashMap<>();
    JsonNode d = e.path("detail");
    for (var it = d.fields(); it.hasNext(); ) {
      var f = it.next();
      detail.put(f.getKey(), f.getValue().asText());
    }
    return new LedgerEntry.GovernanceEntry(
        instant(e, "at"), text(e, "action"), text(e, "by"), detail);
  }

  private static LedgerEntry.PartiesEntry parties(JsonNode e) {
    Map<PartyId, PartyKind> kinds = new LinkedHashMap<>();
    e.path("parties")
        .fields()
        .forEachRemaining(
            f ->
                kinds.put(
                    PartyId.of(f.getKey()),
                    PartyKind.valueOf(f.getValue().asText().toUpperCase(Locale.ROOT))));
    return new LedgerEntry.PartiesEntry(kinds);
  }

  /**
   * The pseudonyms an entry is indexed under ({@link LedgerEntry#subjects()}), read without
   * building a tree: the subject indexer's catch-up reads the whole log with it.
   */
  public static List<String> subjectsOf(byte[] entry) throws IOException {
    List<String> out = new ArrayList<>(1);
    boolean listing = false;
    try (JsonParser p = JSON.createParser(entry)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return out;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if ("type".equals(name) && t == JsonToken.VALUE_STRING) {
          listing = LedgerEntries.LISTING.equals(p.getText());
        } else if ("subject".equals(name) && t == JsonToken.VALUE_STRING) {
          out.add(p.getText());
        } else if (listing && "released".equals(name) && t == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.VALUE_STRING) {
            out.add(p.getText());
          }
        } else {
          p.skipChildren();
        }
      }
      return out;
    }
  }

  private static String text(JsonNode e, String field) throws IOException {
    JsonNode v = e.get(field);
    if (v == null || !v.isTextual()) {
      throw new IOException("ledger entry field `" + field + "` is missing or not text");
    }
    return v.asText();
  }

  private static @Nullable String optional(JsonNode e, String field) {
    JsonNode v = e.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant instant(JsonNode e, String field) throws IOException {
    return Instant.parse(text(e, field));
  }

  private static @Nullable Instant optionalInstant(JsonNode e, String field) {
    String v = optional(e, field);
    return v == null ? null : Instant.parse(v);
  }

  private static List<String> strings(JsonNode e, String field) {
    List<String> out = new ArrayList<>();
    e.path(field).forEach(v -> out.add(v.asText()));
    return out;
  }
}
