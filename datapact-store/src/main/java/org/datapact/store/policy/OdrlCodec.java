package org.datapact.store.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.Minimisation;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.Prohibition;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;

/**
 * Reads and writes agreement versions as W3C ODRL 2.2 JSON-LD ({@code @type: Agreement}). ODRL's
 * own terms carry what they can: {@code permission}/{@code prohibition}/{@code obligation},
 * {@code target}, {@code action}, {@code assigner}/{@code assignee}, and constraints with
 * {@code leftOperand} {@code purpose}, {@code spatial}, {@code dateTime} and {@code count}.
 * DataPact's additions live under the {@code dp:} prefix.
 *
 * <p>Import is strict, never lenient: an unknown left operand, operator, scope, purpose, action or
 * party form is an error naming the term and where it is — a term that cannot be understood is
 * never dropped (dropping a constraint would widen the permission).
 *
 * <p>Identifiers: parties are {@code urn:datapact:party:<id>}, scopes (targets)
 * {@code urn:datapact:scope:<scope>}, the agreement {@code urn:datapact:agreement:<id>:<version>}.
 */
public final class OdrlCodec {
  /** The ODRL 2.2 JSON-LD context. */
  public static final String ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld";
  /** DataPact's vocabulary namespace for the {@code dp:} prefix. */
  public static final String DP_NAMESPACE = "urn:datapact:vocab#";

  private static final String PARTY = "urn:datapact:party:";
  private static final String SCOPE = "urn:datapact:scope:";
  private static final String AGREEMENT = "urn:datapact:agreement:";

  private final ObjectMapper mapper = new ObjectMapper();

  // ------------------------------------------------------------------ export

  /** @return the version as an ODRL JSON-LD document */
  public ObjectNode toOdrl(AgreementVersion v) {
    ObjectNode doc = mapper.createObjectNode();
    ArrayNode context = doc.putArray("@context");
    context.add(ODRL_CONTEXT);
    context.addObject().put("dp", DP_NAMESPACE);
    doc.put("@type", "Agreement");
    doc.put("uid", AGREEMENT + v.agreementId() + ":" + v.version());
    doc.put("dp:agreement", v.agreementId());
    doc.put("dp:version", v.version());
    doc.put("dp:title", v.title());
    doc.put("assigner", PARTY + "platform");
    doc.put("assignee", PARTY + v.counterparty().value());
    doc.put("dp:effectiveFrom", v.effectiveFrom().toString());
    if (v.effectiveUntil() != null) {
      doc.put("dp:effectiveUntil", v.effectiveUntil().toString());
    }
    ArrayNode perms = doc.putArray("permission");
    for (Permission p : v.permissions()) {
      ObjectNode n = perms.addObject();
      n.put("uid", ruleUid(v, p.id()));
      n.put("target", SCOPE + p.scope().wire());
      n.put("action", p.scope().odrlAction());
      n.put("assignee", PARTY + p.assignee().value());
      ArrayNode cs = n.putArray("constraint");
      cs.addObject().put("leftOperand", "purpose").put("operator", "isAnyOf")
          .set("rightOperand", strings(p.purposes(), Purpose::wire));
      Constraints c = p.constraints();
      if (!c.jurisdictionsIncluded().isEmpty()) {
        cs.addObject().put("leftOperand", "spatial").put("operator", "isAnyOf")
            .set("rightOperand", strings(c.jurisdictionsIncluded(), Function.identity()));
      }
      if (!c.jurisdictionsExcluded().isEmpty()) {
        cs.addObject().put("leftOperand", "spatial").put("operator", "isNoneOf")
            .set("rightOperand", strings(c.jurisdictionsExcluded(), Function.identity()));
      }
      if (c.notBefore() != null) {
        cs.addObject().put("leftOperand", "dateTime").put("operator", "gteq").put("rightOperand", c.notBefore().toString());
      }
      if (c.notAfter() != null) {
        cs.addObject().put("leftOperand", "dateTime").put("operator", "lt").put("rightOperand", c.notAfter().toString());
      }
      if (c.minimisation() != Minimisation.NONE) {
        cs.addObject().put("leftOperand", "dp:minimisation").put("operator", "eq").put("rightOperand", c.minimisation().wire());
      }
      if (c.minCohort() > 0) {
        cs.addObject().put("leftOperand", "dp:minCohort").put("operator", "gteq").put("rightOperand", c.minCohort());
      }
      if (c.rateLimit() != null) {
        cs.addObject().put("leftOperand", "count").put("operator", "lteq").put("rightOperand", c.rateLimit().requests())
            .put("dp:per", c.rateLimit().per().toString());
      }
    }
    ArrayNode prohibitions = doc.putArray("prohibition");
    for (Prohibition p : v.prohibitions()) {
      ObjectNode n = prohibitions.addObject();
      n.put("uid", ruleUid(v, p.id()));
      n.put("action", "use");
      ObjectNode target = n.putObject("target");
      target.put("@type", "AssetCollection");
      target.putArray("refinement").addObject().put("leftOperand", "dp:labelSource").put("operator", "isAnyOf")
          .set("rightOperand", strings(p.labelSources(), PartyId::value));
      if (!p.consumers().isEmpty()) {
        n.set("assignee", strings(p.consumers(), x -> PARTY + x.value()));
      }
      ArrayNode cs = n.putArray("constraint");
      if (!p.purposes().isEmpty()) {
        cs.addObject().put("leftOperand", "purpose").put("operator", "isAnyOf").set("rightOperand", strings(p.purposes(), Purpose::wire));
      }
      if (!p.exceptOnBehalfOf().isEmpty()) {
        cs.addObject().put("leftOperand", "dp:onBehalfOf").put("operator", "isNoneOf")
            .set("rightOperand", strings(p.exceptOnBehalfOf(), PartyId::value));
      }
    }
    ArrayNode duties = doc.putArray("obligation");
    for (Duty d : v.duties()) {
      ObjectNode n = duties.addObject();
      n.put("uid", ruleUid(v, d.id()));
      n.put("assignee", PARTY + d.party().value());
      if (d.kind() == Duty.Kind.REPORT) {
        n.put("action", "dp:report");
        n.put("dp:metric", d.metric());
        n.put("dp:period", d.period());
        n.put("dp:dueAfterDays", d.dueAfterDays());
        n.put("dp:graceDays", d.graceDays());
      } else {
        n.put("action", "compensate");
        ArrayNode refinement = n.putArray("refinement");
        refinement.addObject().put("leftOperand", "payAmount").put("operator", "gteq")
            .put("rightOperand", d.amount().toPlainString()).put("unit", "http://dbpedia.org/resource/" + currencyName(d.currency()))
            .put("dp:currency", d.currency());
        refinement.addObject().put("leftOperand", "dateTime").put("operator", "eq").put("rightOperand", Integer.toString(d.year()));
      }
    }
    return doc;
  }

  private static String currencyName(String code) {
    return code.equals("USD") ? "United_States_dollar" : code.equals("EUR") ? "Euro" : code;
  }

  private static String ruleUid(AgreementVersion v, String id) {
    return AGREEMENT + v.agreementId() + ":" + v.version() + "#" + id;
  }

  private <T> ArrayNode strings(Set<T> values, Function<T, String> f) {
    ArrayNode a = mapper.createArrayNode();
    TreeSet<String> sorted = new TreeSet<>();
    values.forEach(v -> sorted.add(f.apply(v)));
    sorted.forEach(a::add);
    return a;
  }

  /** @return the ODRL JSON-LD text of the version, pretty-printed */
  public String toJson(AgreementVersion v) {
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(toOdrl(v));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise ODRL", e); // INVARIANT: a tree always serialises
    }
  }

  // ------------------------------------------------------------------ import

  /**
   * Parses an ODRL JSON-LD agreement.
   *
   * @param agreementId the id to use when the document has no {@code dp:agreement}
   * @param version the version to use when the document has no {@code dp:version}
   * @throws DataPactException invalid-input naming the first term that cannot be understood
   */
  public AgreementVersion fromJson(String json, String agreementId, int version) throws DataPactException {
    JsonNode doc;
    try {
      doc = mapper.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw DataPactException.invalid("the ODRL document is not valid JSON: " + e.getOriginalMessage());
    }
    try {
      return parse(doc, agreementId, version);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw DataPactException.invalid("ODRL: " + e.getMessage());
    }
  }

  private AgreementVersion parse(JsonNode doc, String defaultId, int defaultVersion) {
    require(doc.isObject(), "the document must be a JSON object");
    require(contextHasOdrl(doc.get("@context")), "`@context` must include `" + ODRL_CONTEXT + "`");
    String type = text(doc, "@type", "policy");
    require(type.equals("Agreement") || type.equals("Offer") || type.equals("Set"),
        "`@type` `" + type + "` must be Agreement, Offer or Set");
    for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      require(Set.of("@context", "@type", "uid", "profile", "assigner", "assignee", "permission", "prohibition", "obligation",
          "dp:agreement", "dp:version", "dp:title", "dp:effectiveFrom", "dp:effectiveUntil").contains(f),
          "unknown policy term `" + f + "`");
    }
    String id = doc.has("dp:agreement") ? doc.get("dp:agreement").asText() : defaultId;
    int version = doc.has("dp:version") ? doc.get("dp:version").asInt() : defaultVersion;
    PartyId counterparty = party(text(doc, "assignee", "policy"), "policy `assignee`");
    String title = doc.has("dp:title") ? doc.get("dp:title").asText() : id;
    Instant from = doc.has("dp:effectiveFrom") ? Instant.parse(doc.get("dp:effectiveFrom").asText()) : Instant.EPOCH;
    Instant until = doc.has("dp:effectiveUntil") ? Instant.parse(doc.get("dp:effectiveUntil").asText()) : null;
    List<Permission> perms = new ArrayList<>();
    int n = 0;
    for (JsonNode p : array(doc, "permission")) {
      perms.add(permission(p, counterparty, "permission[" + n++ + "]"));
    }
    List<Prohibition> prohibitions = new ArrayList<>();
    n = 0;
    for (JsonNode p : array(doc, "prohibition")) {
      prohibitions.add(prohibition(p, "prohibition[" + n++ + "]"));
    }
    List<Duty> duties = new ArrayList<>();
    n = 0;
    for (JsonNode d : array(doc, "obligation")) {
      duties.add(duty(d, counterparty, "obligation[" + n++ + "]"));
    }
    return new AgreementVersion(id, version, counterparty, title, from, until, perms, prohibitions, duties);
  }

  private Permission permission(JsonNode p, PartyId counterparty, String where) {
    String target = text(p, "target", where);
    require(target.startsWith(SCOPE), where + ": target `" + target + "` must be `" + SCOPE + "<scope>`");
    Scope scope = Scope.fromWire(target.substring(SCOPE.length()));
    String action = text(p, "action", where);
    require(action.equals(scope.odrlAction()), where + ": action `" + action + "` does not match scope `" + scope.wire()
        + "` (expected `" + scope.odrlAction() + "`)");
    PartyId assignee = p.has("assignee") ? party(p.get("assignee").asText(), where + " `assignee`") : counterparty;
    Set<Purpose> purposes = new LinkedHashSet<>();
    Set<String> in = new LinkedHashSet<>();
    Set<String> out = new LinkedHashSet<>();
    Instant notBefore = null;
    Instant notAfter = null;
    Minimisation minimisation = Minimisation.NONE;
    int minCohort = 0;
    Constraints.RateLimit rate = null;
    int i = 0;
    for (JsonNode c : array(p, "constraint")) {
      String at = where + ".constraint[" + i++ + "]";
      String left = text(c, "leftOperand", at);
      String op = text(c, "operator", at);
      JsonNode right = c.get("rightOperand");
      require(right != null, at + ": `rightOperand` is missing");
      switch (left) {
        case "purpose" -> {
          require(op.equals("eq") || op.equals("isAnyOf"), at + ": operator `" + op + "` is not supported for purpose");
          values(right).forEach(v -> purposes.add(Purpose.fromWire(v)));
        }
        case "spatial" -> {
          require(op.equals("eq") || op.equals("isAnyOf") || op.equals("neq") || op.equals("isNoneOf"),
              at + ": operator `" + op + "` is not supported for spatial");
          (op.equals("eq") || op.equals("isAnyOf") ? in : out).addAll(values(right));
        }
        case "dateTime" -> {
          Instant t = Instant.parse(right.isObject() ? right.path("@value").asText() : right.asText());
          switch (op) {
            case "gteq", "gt" -> notBefore = t;
            case "lt", "lteq" -> notAfter = t;
            default -> throw new IllegalArgumentException(at + ": operator `" + op + "` is not supported for dateTime");
          }
        }
        case "dp:minimisation" -> minimisation = Minimisation.fromWire(right.asText());
        case "dp:minCohort" -> minCohort = right.asInt();
        case "count" -> {
          require(op.equals("lteq") || op.equals("lt"), at + ": operator `" + op + "` is not supported for count");
          rate = new Constraints.RateLimit(right.asInt(), Duration.parse(c.path("dp:per").asText("PT1S")));
        }
        default -> throw new IllegalArgumentException(at + ": unknown leftOperand `" + left + "`; it cannot be evaluated");
      }
    }
    require(!purposes.isEmpty(), where + ": a `purpose` constraint is required");
    String id = p.has("uid") ? ruleId(p.get("uid").asText()) : "permission-" + where.replaceAll("\\D", "");
    return new Permission(id, assignee, scope, purposes,
        new Constraints(in, out, notBefore, notAfter, minimisation, minCohort, rate));
  }

  private Prohibition prohibition(JsonNode p, String where) {
    String action = text(p, "action", where);
    require(action.equals("use"), where + ": action `" + action + "` must be `use`");
    JsonNode target = p.get("target");
    require(target != null && target.isObject(), where + ": `target` must be an AssetCollection with a label refinement");
    Set<PartyId> sources = new LinkedHashSet<>();
    for (JsonNode r : array(target, "refinement")) {
      require(r.path("leftOperand").asText().equals("dp:labelSource"),
          where + ": unknown target refinement `" + r.path("leftOperand").asText() + "`");
      values(r.get("rightOperand")).forEach(v -> sources.add(PartyId.of(v)));
    }
    Set<PartyId> consumers = new LinkedHashSet<>();
    if (p.has("assignee")) {
      for (String a : values(p.get("assignee"))) {
        consumers.add(party(a, where + " `assignee`"));
      }
    }
    Set<Purpose> purposes = new LinkedHashSet<>();
    Set<PartyId> except = new LinkedHashSet<>();
    int i = 0;
    for (JsonNode c : array(p, "constraint")) {
      String at = where + ".constraint[" + i++ + "]";
      String left = text(c, "leftOperand", at);
      switch (left) {
        case "purpose" -> values(c.get("rightOperand")).forEach(v -> purposes.add(Purpose.fromWire(v)));
        case "dp:onBehalfOf" -> {
          require(text(c, "operator", at).equals("isNoneOf") || text(c, "operator", at).equals("neq"),
              at + ": dp:onBehalfOf takes isNoneOf (the exempt parties)");
          values(c.get("rightOperand")).forEach(v -> except.add(PartyId.of(v)));
        }
        default -> throw new IllegalArgumentException(at + ": unknown leftOperand `" + left + "`; it cannot be evaluated");
      }
    }
    String id = p.has("uid") ? ruleId(p.get("uid").asText()) : "prohibition-" + where.replaceAll("\\D", "");
    return new Prohibition(id, sources, consumers, purposes, except);
  }

  private Duty duty(JsonNode d, PartyId counterparty, String where) {
    String action = text(d, "action", where);
    PartyId party = d.has("assignee") ? party(d.get("assignee").asText(), where + " `assignee`") : counterparty;
    String id = d.has("uid") ? ruleId(d.get("uid").asText()) : "duty-" + where.replaceAll("\\D", "");
    switch (action) {
      case "dp:report" -> {
        return Duty.report(id, party, text(d, "dp:metric", where), text(d, "dp:period", where),
            d.path("dp:dueAfterDays").asInt(0), d.path("dp:graceDays").asInt(0));
      }
      case "compensate" -> {
        BigDecimal amount = null;
        String currency = null;
        int year = 0;
        for (JsonNode r : array(d, "refinement")) {
          String left = r.path("leftOperand").asText();
          if (left.equals("payAmount")) {
            amount = new BigDecimal(r.path("rightOperand").asText());
            currency = r.path("dp:currency").asText(null);
          } else if (left.equals("dateTime")) {
            year = Integer.parseInt(r.path("rightOperand").asText());
          } else {
            throw new IllegalArgumentException(where + ": unknown refinement `" + left + "`");
          }
        }
        return Duty.spend(id, party, amount, currency, year);
      }
      default -> throw new IllegalArgumentException(where + ": unknown duty action `" + action + "`");
    }
  }

  private static String ruleId(String uid) {
    int hash = uid.lastIndexOf('#');
    return hash >= 0 ? uid.substring(hash + 1) : uid.replaceAll("[^A-Za-z0-9-]", "-");
  }

  private static PartyId party(String uri, String where) {
    require(uri.startsWith(PARTY), where + " `" + uri + "` must be `" + PARTY + "<id>`");
    return PartyId.of(uri.substring(PARTY.length()));
  }

  private static boolean contextHasOdrl(JsonNode ctx) {
    if (ctx == null) {
      return false;
    }
    if (ctx.isTextual()) {
      return ctx.asText().equals(ODRL_CONTEXT);
    }
    for (JsonNode c : ctx) {
      if (c.isTextual() && c.asText().equals(ODRL_CONTEXT)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> values(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n.isArray()) {
      n.forEach(v -> out.add(v.isObject() ? v.path("@id").asText(v.path("@value").asText()) : v.asText()));
    } else {
      out.add(n.asText());
    }
    return out;
  }

  private static Iterable<JsonNode> array(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n == null) {
      return List.of();
    }
    return n.isArray() ? n : List.of(n);
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    require(v != null && v.isValueNode(), where + ": `" + field + "` is required");
    return v.asText();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
