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
import org.datapact.core.jurisdiction.JurisdictionTerm;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;

/**
 * Reads and writes agreement versions as W3C ODRL 2.2 JSON-LD ({@code @type: Agreement}). ODRL's
 * own terms carry what they can: {@code permission}/{@code prohibition}/{@code obligation}, {@code
 * target}, {@code action}, {@code assigner}/{@code assignee}, and constraints with {@code
 * leftOperand} {@code purpose}, {@code spatial}, {@code dateTime} and {@code count}. DataPact's
 * additions live under the {@code dp:} prefix ({@code dp:minimisation}, {@code dp:minCohort},
 * {@code dp:linkDomain}, {@code dp:labelSource}, {@code dp:onBehalfOf}).
 *
 * <p>Import is strict, never lenient (the fail-open that Eclipse EDC documents is the thing to
 * avoid): an unknown key anywhere, an unknown left operand, an operator a term does not admit, a
 * value of the wrong JSON type, a scope, purpose, action or party form it does not know — each is
 * an error naming the term by its JSON pointer (RFC 6901). A term that cannot be understood is
 * never dropped (dropping a constraint would widen the permission), and an operator is never read
 * as another ({@code isNoneOf} is not {@code isAnyOf}; {@code gt} is not {@code gteq}). Duties
 * nested in a permission ({@code duty}) are read as duties of its assignee.
 *
 * <p>Identifiers: parties are {@code urn:datapact:party:<id>}, scopes (targets) {@code
 * urn:datapact:scope:<scope>}, the agreement {@code urn:datapact:agreement:<id>:<version>}.
 *
 * <p>Why one class of about 780 lines: the mapping of one vocabulary both ways (export and the
 * strict import, with a JSON pointer for every refusal), kept side by side so that a term cannot be
 * written one way and read another; OdrlRoundTripPropertyTest holds the two equal.
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

  /**
   * @return the version as an ODRL JSON-LD document
   */
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
      cs.addObject()
          .put("leftOperand", "purpose")
          .put("operator", "isAnyOf")
          .set("rightOperand", strings(p.purposes(), Purpose::wire));
      Constraints c = p.constraints();
      if (!c.jurisdictionsIncluded().isEmpty()) {
        cs.addObject()
            .put("leftOperand", "spatial")
            .put("operator", "isAnyOf")
            .set("rightOperand", strings(c.jurisdictionsIncluded(), JurisdictionTerm::value));
      }
      if (!c.jurisdictionsExcluded().isEmpty()) {
        cs.addObject()
            .put("leftOperand", "spatial")
            .put("operator", "isNoneOf")
            .set("rightOperand", strings(c.jurisdictionsExcluded(), JurisdictionTerm::value));
      }
      if (c.notBefore() != null) {
        cs.addObject()
            .put("leftOperand", "dateTime")
            .put("operator", "gteq")
            .put("rightOperand", c.notBefore().toString());
      }
      if (c.notAfter() != null) {
        cs.addObject()
            .put("leftOperand", "dateTime")
            .put("operator", "lt")
            .put("rightOperand", c.notAfter().toString());
      }
      if (c.minimisation() != Minimisation.NONE) {
        cs.addObject()
            .put("leftOperand", "dp:minimisation")
            .put("operator", "eq")
            .put("rightOperand", c.minimisation().wire());
      }
      if (c.minCohort() > 0) {
        cs.addObject()
            .put("leftOperand", "dp:minCohort")
            .put("operator", "gteq")
            .put("rightOperand", c.minCohort());
      }
      if (c.rateLimit() != null) {
        cs.addObject()
            .put("leftOperand", "count")
            .put("operator", "lteq")
            .put("rightOperand", c.rateLimit().requests())
            .put("dp:per", c.rateLimit().per().toString());
      }
      if (!c.linkDomains().isEmpty()) {
        cs.addObject()
            .put("leftOperand", "dp:linkDomain")
            .put("operator", "isAnyOf")
            .set("rightOperand", strings(c.linkDomains(), Function.identity()));
      }
    }
    ArrayNode prohibitions = doc.putArray("prohibition");
    for (Prohibition p : v.prohibitions()) {
      ObjectNode n = prohibitions.addObject();
      n.put("uid", ruleUid(v, p.id()));
      n.put("action", "use");
      ObjectNode target = n.putObject("target");
      target.put("@type", "AssetCollection");
      target
          .putArray("refinement")
          .addObject()
          .put("leftOperand", "dp:labelSource")
          .put("operator", "isAnyOf")
          .set("rightOperand", strings(p.labelSources(), PartyId::value));
      if (!p.consumers().isEmpty()) {
        n.set("assignee", strings(p.consumers(), x -> PARTY + x.value()));
      }
      ArrayNode cs = n.putArray("constraint");
      if (!p.purposes().isEmpty()) {
        cs.addObject()
            .put("leftOperand", "purpose")
            .put("operator", "isAnyOf")
            .set("rightOperand", strings(p.purposes(), Purpose::wire));
      }
      if (!p.exceptOnBehalfOf().isEmpty()) {
        cs.addObject()
            .put("leftOperand", "dp:onBehalfOf")
            .put("operator", "isNoneOf")
            .set("rightOperand", strings(p.exceptOnBehalfOf(), PartyId::value));
      }
    }
    ArrayNode duties = doc.putArray("obligation");
    for (Duty d : v.duties()) {
      ObjectNode n = duties.addObject();
      n.put("uid", ruleUid(v, d.id()));
      n.put("assignee", PARTY + d.party().value());
      d.match(
          r -> {
            n.put("action", "dp:report");
            n.put("dp:metric", r.metric());
            n.put("dp:period", r.period());
            n.put("dp:dueAfterDays", r.dueAfterDays());
            n.put("dp:graceDays", r.graceDays());
            n.put("dp:tolerancePercent", r.tolerancePercent());
            if (!r.gates().isEmpty()) {
              n.set("dp:gates", strings(r.gates(), g -> ruleUid(v, g)));
            }
            return n;
          },
          sp -> {
            n.put("action", "compensate");
            ArrayNode refinement = n.putArray("refinement");
            refinement
                .addObject()
                .put("leftOperand", "payAmount")
                .put("operator", "gteq")
                .put("rightOperand", sp.amount().toPlainString())
                .put("unit", "http://dbpedia.org/resource/" + currencyName(sp.currency()))
                .put("dp:currency", sp.currency());
            refinement
                .addObject()
                .put("leftOperand", "dateTime")
                .put("operator", "eq")
                .put("rightOperand", Integer.toString(sp.year()));
            return n;
          });
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

  /**
   * @return the ODRL JSON-LD text of the version, pretty-printed
   */
  public String toJson(AgreementVersion v) {
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(toOdrl(v));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot serialise ODRL", e); // INVARIANT: a tree always serialises
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
  public AgreementVersion fromJson(String json, String agreementId, int version)
      throws DataPactException {
    JsonNode doc;
    try {
      doc = mapper.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw DataPactException.invalid(
          "the ODRL document is not valid JSON: " + e.getOriginalMessage());
    }
    try {
      return parse(doc, agreementId, version);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw DataPactException.invalid("ODRL: " + e.getMessage());
    }
  }

  private static final Set<String> POLICY_KEYS =
      Set.of(
          "@context",
          "@type",
          "uid",
          "profile",
          "assigner",
          "assignee",
          "permission",
          "prohibition",
          "obligation",
          "dp:agreement",
          "dp:version",
          "dp:title",
          "dp:effectiveFrom",
          "dp:effectiveUntil");
  private static final Set<String> PERMISSION_KEYS =
      Set.of("uid", "target", "action", "assignee", "assigner", "constraint", "duty");
  private static final Set<String> PROHIBITION_KEYS =
      Set.of("uid", "target", "action", "assignee", "assigner", "constraint");
  private static final Set<String> COLLECTION_KEYS = Set.of("@type", "refinement");
  private static final Set<String> REPORT_KEYS =
      Set.of(
          "uid",
          "assignee",
          "assigner",
          "action",
          "dp:metric",
          "dp:period",
          "dp:dueAfterDays",
          "dp:graceDays",
          "dp:tolerancePercent",
          "dp:gates");
  private static final Set<String> SPEND_KEYS =
      Set.of("uid", "assignee", "assigner", "action", "refinement");
  private static final Set<String> CONSTRAINT_KEYS =
      Set.of("leftOperand", "operator", "rightOperand");

  /**
   * The operators each left operand admits here, and what each means. An ODRL operator a term does
   * not admit is refused, never read as another: {@code isNoneOf} is never {@code isAnyOf}, {@code
   * gt} is never {@code gteq}.
   */
  private static void operator(String op, String at, String left, String... admitted) {
    for (String a : admitted) {
      if (a.equals(op)) {
        return;
      }
    }
    require(
        Set.of(
                "eq",
                "neq",
                "gt",
                "gteq",
                "lt",
                "lteq",
                "isA",
                "hasPart",
                "isPartOf",
                "isAllOf",
                "isAnyOf",
                "isNoneOf")
            .contains(op),
        at + "/operator: `" + op + "` is not an ODRL 2.2 operator");
    throw new IllegalArgumentException(
        at
            + "/operator: `"
            + op
            + "` is not admitted for `"
            + left
            + "` (admitted: "
            + String.join(", ", admitted)
            + ")");
  }

  private AgreementVersion parse(JsonNode doc, String defaultId, int defaultVersion) {
    require(doc.isObject(), "the document must be a JSON object");
    keys(doc, "", POLICY_KEYS);
    require(contextHasOdrl(doc.get("@context")), "/@context: must include `" + ODRL_CONTEXT + "`");
    String type = text(doc, "@type", "");
    require(
        type.equals("Agreement") || type.equals("Offer") || type.equals("Set"),
        "/@type: `" + type + "` must be Agreement, Offer or Set");
    String id = doc.has("dp:agreement") ? text(doc, "dp:agreement", "") : defaultId;
    int version =
        doc.has("dp:version") ? integer(doc.get("dp:version"), "/dp:version") : defaultVersion;
    PartyId counterparty = party(text(doc, "assignee", ""), "/assignee");
    String title = doc.has("dp:title") ? text(doc, "dp:title", "") : id;
    Instant from =
        doc.has("dp:effectiveFrom")
            ? instant(doc.get("dp:effectiveFrom"), "/dp:effectiveFrom")
            : Instant.EPOCH;
    Instant until =
        doc.has("dp:effectiveUntil")
            ? instant(doc.get("dp:effectiveUntil"), "/dp:effectiveUntil")
            : null;
    List<Permission> perms = new ArrayList<>();
    List<Duty> duties = new ArrayList<>();
    int n = 0;
    for (JsonNode p : array(doc, "permission", "")) {
      String where = "/permission/" + n++;
      Permission permission = permission(p, counterparty, where);
      perms.add(permission);
      int k = 0;
      for (JsonNode d :
          array(p, "duty", where)) { // a duty attached to a permission binds its assignee
        duties.add(duty(d, permission.assignee(), where + "/duty/" + k++, Set.of(permission.id())));
      }
    }
    List<Prohibition> prohibitions = new ArrayList<>();
    n = 0;
    for (JsonNode p : array(doc, "prohibition", "")) {
      prohibitions.add(prohibition(p, "/prohibition/" + n++));
    }
    n = 0;
    for (JsonNode d : array(doc, "obligation", "")) {
      duties.add(duty(d, counterparty, "/obligation/" + n++, Set.of()));
    }
    return new AgreementVersion(
        id, version, counterparty, title, from, until, perms, prohibitions, duties);
  }

  private Permission permission(JsonNode p, PartyId counterparty, String where) {
    require(p.isObject(), where + ": a permission must be a JSON object");
    keys(p, where, PERMISSION_KEYS);
    String target = text(p, "target", where);
    require(
        target.startsWith(SCOPE),
        where + "/target: `" + target + "` must be `" + SCOPE + "<scope>`");
    Scope scope = Scope.fromWire(target.substring(SCOPE.length()));
    String action = text(p, "action", where);
    require(
        action.equals(scope.odrlAction()),
        where
            + "/action: `"
            + action
            + "` does not match scope `"
            + scope.wire()
            + "` (expected `"
            + scope.odrlAction()
            + "`)");
    PartyId assignee =
        p.has("assignee") ? party(text(p, "assignee", where), where + "/assignee") : counterparty;
    Set<Purpose> purposes = new LinkedHashSet<>();
    Set<JurisdictionTerm> in = new LinkedHashSet<>();
    Set<JurisdictionTerm> out = new LinkedHashSet<>();
    Set<String> links = new LinkedHashSet<>();
    Instant notBefore = null;
    Instant notAfter = null;
    Minimisation minimisation = Minimisation.NONE;
    int minCohort = 0;
    Constraints.RateLimit rate = null;
    Set<String> seen = new java.util.HashSet<>();
    int i = 0;
    for (JsonNode c : array(p, "constraint", where)) {
      String at = where + "/constraint/" + i++;
      require(c.isObject(), at + ": a constraint must be a JSON object");
      String left = text(c, "leftOperand", at);
      keys(
          c,
          at,
          left.equals("count")
              ? Set.of("leftOperand", "operator", "rightOperand", "dp:per")
              : CONSTRAINT_KEYS);
      String op = text(c, "operator", at);
      JsonNode right = c.get("rightOperand");
      require(right != null, at + "/rightOperand: is required");
      String r = at + "/rightOperand";
      require(
          seen.add(left + " " + op) || left.equals("spatial"),
          at + ": a second `" + left + "` `" + op + "` constraint; state it once");
      switch (left) {
        case "purpose" -> {
          operator(op, at, left, "eq", "isAnyOf");
          values(right, r, op.equals("eq")).forEach(v -> purposes.add(Purpose.fromWire(v)));
        }
        case "spatial" -> {
          operator(op, at, left, "eq", "isAnyOf", "neq", "isNoneOf");
          for (String v : values(right, r, op.equals("eq") || op.equals("neq"))) {
            require(
                v.matches("[A-Z][A-Z0-9_]{1,15}"),
                r + ": `" + v + "` is neither a rule set id nor an ISO 3166 country code");
            (op.equals("eq") || op.equals("isAnyOf") ? in : out).add(JurisdictionTerm.of(v));
          }
        }
        case "dateTime" -> {
          // the window is [notBefore, notAfter): gteq and lt say exactly that; gt and lteq would
          // need
          // a precision the decision point does not have, and are refused rather than rounded
          operator(op, at, left, "gteq", "lt");
          Instant t = instant(right.isObject() ? right.get("@value") : right, r);
          if (op.equals("gteq")) {
            notBefore = t;
          } else {
            notAfter = t;
          }
        }
        case "dp:minimisation" -> {
          operator(op, at, left, "eq");
          minimisation = Minimisation.fromWire(string(right, r));
        }
        case "dp:minCohort" -> {
          operator(op, at, left, "gteq");
          minCohort = integer(right, r);
          require(
              minCohort > 0,
              r + ": a minimum cohort is a positive whole number, got `" + right + "`");
        }
        case "count" -> {
          operator(op, at, left, "lteq", "lt");
          int limit = integer(right, r) - (op.equals("lt") ? 1 : 0);
          require(
              limit > 0,
              r + ": a rate limit allows at least one request, got `" + op + " " + right + "`");
          Duration per =
              c.has("dp:per")
                  ? Duration.parse(string(c.get("dp:per"), at + "/dp:per"))
                  : Duration.ofSeconds(1);
          rate = new Constraints.RateLimit(limit, per);
        }
        case "dp:linkDomain" -> {
          operator(op, at, left, "eq", "isAnyOf");
          links.addAll(values(right, r, op.equals("eq")));
        }
        default ->
            throw new IllegalArgumentException(
                at + "/leftOperand: unknown `" + left + "`; it cannot be evaluated");
      }
    }
    require(!purposes.isEmpty(), where + "/constraint: a `purpose` constraint is required");
    String id =
        p.has("uid") ? ruleId(text(p, "uid", where)) : "permission-" + where.replaceAll("\\D", "");
    return new Permission(
        id,
        assignee,
        scope,
        purposes,
        new Constraints(in, out, notBefore, notAfter, minimisation, minCohort, rate, links));
  }

  private Prohibition prohibition(JsonNode p, String where) {
    require(p.isObject(), where + ": a prohibition must be a JSON object");
    keys(p, where, PROHIBITION_KEYS);
    String action = text(p, "action", where);
    require(action.equals("use"), where + "/action: `" + action + "` must be `use`");
    JsonNode target = p.get("target");
    require(
        target != null && target.isObject(),
        where + "/target: must be an AssetCollection with a label refinement");
    keys(target, where + "/target", COLLECTION_KEYS);
    require(
        "AssetCollection".equals(target.path("@type").asText(null)),
        where + "/target/@type: must be `AssetCollection`");
    Set<PartyId> sources = new LinkedHashSet<>();
    int k = 0;
    for (JsonNode r : array(target, "refinement", where + "/target")) {
      String at = where + "/target/refinement/" + k++;
      require(r.isObject(), at + ": a refinement must be a JSON object");
      keys(r, at, CONSTRAINT_KEYS);
      String left = text(r, "leftOperand", at);
      require(
          left.equals("dp:labelSource"),
          at + "/leftOperand: unknown `" + left + "`; it cannot be evaluated");
      String op = text(r, "operator", at);
      operator(op, at, left, "eq", "isAnyOf");
      values(r.get("rightOperand"), at + "/rightOperand", op.equals("eq"))
          .forEach(v -> sources.add(PartyId.of(v)));
    }
    require(
        !sources.isEmpty(),
        where + "/target/refinement: a `dp:labelSource` refinement is required");
    Set<PartyId> consumers = new LinkedHashSet<>();
    if (p.has("assignee")) {
      for (String a :
          values(p.get("assignee"), where + "/assignee", !p.get("assignee").isArray())) {
        consumers.add(party(a, where + "/assignee"));
      }
    }
    Set<Purpose> purposes = new LinkedHashSet<>();
    Set<PartyId> except = new LinkedHashSet<>();
    int i = 0;
    for (JsonNode c : array(p, "constraint", where)) {
      String at = where + "/constraint/" + i++;
      require(c.isObject(), at + ": a constraint must be a JSON object");
      keys(c, at, CONSTRAINT_KEYS);
      String left = text(c, "leftOperand", at);
      String op = text(c, "operator", at);
      String r = at + "/rightOperand";
      switch (left) {
        case "purpose" -> {
          operator(op, at, left, "eq", "isAnyOf", "neq", "isNoneOf");
          require(purposes.isEmpty(), at + ": a second `purpose` constraint; state it once");
          List<Purpose> named =
              values(c.get("rightOperand"), r, op.equals("eq") || op.equals("neq")).stream()
                  .map(Purpose::fromWire)
                  .toList();
          if (op.equals("eq") || op.equals("isAnyOf")) {
            purposes.addAll(named);
          } else {
            // forbidden for every purpose but those named: the complement, stated exactly
            for (Purpose x : Purpose.values()) {
              if (!named.contains(x)) {
                purposes.add(x);
              }
            }
            require(
                !purposes.isEmpty(),
                at + ": `" + op + "` names every purpose; the prohibition would forbid nothing");
          }
        }
        case "dp:onBehalfOf" -> {
          operator(op, at, left, "isNoneOf", "neq");
          values(c.get("rightOperand"), r, op.equals("neq"))
              .forEach(v -> except.add(PartyId.of(v)));
        }
        default ->
            throw new IllegalArgumentException(
                at + "/leftOperand: unknown `" + left + "`; it cannot be evaluated");
      }
    }
    String id =
        p.has("uid") ? ruleId(text(p, "uid", where)) : "prohibition-" + where.replaceAll("\\D", "");
    return new Prohibition(id, sources, consumers, purposes, except);
  }

  /**
   * @param attachedTo the permission a duty nested in a permission gates; empty for an obligation
   */
  private Duty duty(JsonNode d, PartyId defaultParty, String where, Set<String> attachedTo) {
    require(d.isObject(), where + ": a duty must be a JSON object");
    String action = text(d, "action", where);
    PartyId party =
        d.has("assignee") ? party(text(d, "assignee", where), where + "/assignee") : defaultParty;
    String id =
        d.has("uid") ? ruleId(text(d, "uid", where)) : "duty-" + where.replaceAll("\\D", "");
    switch (action) {
      case "dp:report" -> {
        keys(d, where, REPORT_KEYS);
        Set<String> gates = new TreeSet<>(attachedTo);
        if (d.has("dp:gates")) {
          JsonNode g = d.get("dp:gates");
          require(g.isArray(), where + "/dp:gates: a list of permission uids");
          int k = 0;
          for (JsonNode uid : g) {
            gates.add(ruleId(string(uid, where + "/dp:gates/" + k++)));
          }
        }
        return new Duty.Report(
            id,
            party,
            text(d, "dp:metric", where),
            text(d, "dp:period", where),
            d.has("dp:dueAfterDays")
                ? integer(d.get("dp:dueAfterDays"), where + "/dp:dueAfterDays")
                : 0,
            d.has("dp:graceDays") ? integer(d.get("dp:graceDays"), where + "/dp:graceDays") : 0,
            d.has("dp:tolerancePercent")
                ? integer(d.get("dp:tolerancePercent"), where + "/dp:tolerancePercent")
                : Duty.Report.DEFAULT_TOLERANCE_PERCENT,
            gates);
      }
      case "compensate" -> {
        keys(d, where, SPEND_KEYS);
        BigDecimal amount = null;
        String currency = null;
        Integer year = null;
        int k = 0;
        for (JsonNode r : array(d, "refinement", where)) {
          String at = where + "/refinement/" + k++;
          require(r.isObject(), at + ": a refinement must be a JSON object");
          String left = text(r, "leftOperand", at);
          String op = text(r, "operator", at);
          if (left.equals("payAmount")) {
            keys(r, at, Set.of("leftOperand", "operator", "rightOperand", "unit", "dp:currency"));
            // a guaranteed spend is a floor: at least the amount
            operator(op, at, left, "gteq");
            require(amount == null, at + ": a second `payAmount`; state it once");
            amount = decimal(r.get("rightOperand"), at + "/rightOperand");
            currency = text(r, "dp:currency", at);
          } else if (left.equals("dateTime")) {
            keys(r, at, CONSTRAINT_KEYS);
            operator(op, at, left, "eq");
            require(year == null, at + ": a second `dateTime`; state it once");
            String y = string(r.get("rightOperand"), at + "/rightOperand");
            require(
                y.matches("[0-9]{4}"),
                at
                    + "/rightOperand: a spend's `dateTime` is a calendar year such as `2017`, got `"
                    + y
                    + "`");
            year = Integer.parseInt(y);
          } else {
            throw new IllegalArgumentException(
                at + "/leftOperand: unknown `" + left + "`; it cannot be evaluated");
          }
        }
        if (amount == null || currency == null) {
          throw new IllegalArgumentException(
              where + "/refinement: a `payAmount` with its `dp:currency` is required");
        }
        if (year == null) {
          throw new IllegalArgumentException(where + "/refinement: a `dateTime` year is required");
        }
        return Duty.spend(id, party, amount, currency, year);
      }
      default ->
          throw new IllegalArgumentException(
              where + "/action: unknown duty action `" + action + "`");
    }
  }

  private static String ruleId(String uid) {
    int hash = uid.lastIndexOf('#');
    return hash >= 0 ? uid.substring(hash + 1) : uid.replaceAll("[^A-Za-z0-9-]", "-");
  }

  private static PartyId party(String uri, String where) {
    require(uri.startsWith(PARTY), where + ": `" + uri + "` must be `" + PARTY + "<id>`");
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

  /** Refuses any key of {@code n} outside {@code known}, naming it by its JSON pointer. */
  private static void keys(JsonNode n, String where, Set<String> known) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      require(
          known.contains(f),
          where
              + "/"
              + f.replace("~", "~0").replace("/", "~1")
              + ": unknown term `"
              + f
              + "`; a term that cannot be understood is refused, never dropped");
    }
  }

  /**
   * @param single whether the operator takes one value ({@code eq}, {@code neq}): then a list is
   *     refused
   * @return the string values of a right operand: one string, or a non-empty list of strings
   */
  private static List<String> values(JsonNode n, String where, boolean single) {
    require(n != null, where + ": is required");
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      require(!single, where + ": this operator takes one value, not a list");
      require(!n.isEmpty(), where + ": the list is empty");
      int i = 0;
      for (JsonNode v : n) {
        String at = where + "/" + i++;
        if (v.isObject()) {
          require(
              v.size() == 1 && (v.has("@id") || v.has("@value")),
              at + ": a value object holds one `@id` or `@value`");
          out.add(string(v.has("@id") ? v.get("@id") : v.get("@value"), at));
        } else {
          out.add(string(v, at));
        }
      }
    } else {
      out.add(string(n, where));
    }
    return out;
  }

  private static String string(JsonNode n, String where) {
    require(n != null && n.isTextual(), where + ": must be a string");
    return n.asText();
  }

  private static int integer(JsonNode n, String where) {
    require(
        n != null && n.isIntegralNumber() && n.canConvertToInt(),
        where + ": must be a whole number, got `" + n + "`");
    return n.intValue();
  }

  private static BigDecimal decimal(JsonNode n, String where) {
    require(n != null && (n.isNumber() || n.isTextual()), where + ": must be a number");
    try {
      BigDecimal d = n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText());
      require(d.signum() > 0, where + ": must be positive, got `" + n.asText() + "`");
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": must be a number, got `" + n.asText() + "`");
    }
  }

  private static Instant instant(JsonNode n, String where) {
    try {
      return Instant.parse(string(n, where));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          where
              + ": `"
              + n.asText()
              + "` is not an ISO-8601 instant such as `2017-08-01T00:00:00Z`");
    }
  }

  private static Iterable<JsonNode> array(JsonNode parent, String field, String where) {
    JsonNode n = parent.get(field);
    if (n == null) {
      return List.of();
    }
    require(n.isArray() || n.isObject(), where + "/" + field + ": must be a list of objects");
    return n.isArray() ? n : List.of(n);
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    require(v != null, where + "/" + field + ": is required");
    require(v.isTextual(), where + "/" + field + ": must be a string");
    return v.asText();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
