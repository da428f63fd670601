package org.datapact.bench;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.Prohibition;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.Purpose;

/**
 * Cedar (through cedar-java and its native library) with policies equivalent to DataPact's rules at
 * one instant: a {@code permit} per permission of every agreement version in force, a {@code
 * forbid} per prohibition (forbid overrides permit, as in DataPact), entity attributes for the
 * subject (country, rule set, valid consents, valid video consents) or the dataset (label sources
 * and jurisdictions), and the purpose and consent key in the context. The policy set is parsed
 * once; each request passes only its own principal and resource entities.
 *
 * <p>{@link #policiesText()} and {@link #requestsJson()} export the same policies and requests for
 * the cedar-wasm run in Node.js.
 */
final class CedarPeer {
  private static final EntityTypeName PARTNER = EntityTypeName.parse("Partner").orElseThrow();
  private static final EntityTypeName UNIT = EntityTypeName.parse("Unit").orElseThrow();
  private static final EntityTypeName USER = EntityTypeName.parse("User").orElseThrow();
  private static final EntityTypeName DATASET = EntityTypeName.parse("Dataset").orElseThrow();
  private static final EntityTypeName ACTION = EntityTypeName.parse("Action").orElseThrow();

  final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
  final PolicySet policies;
  final AuthorizationRequest[] requests;
  final List<Set<Entity>> entities = new ArrayList<>();
  private final String text;
  private final List<Map<String, Object>> exported = new ArrayList<>();

  CedarPeer(DecisionFixture f, CasbinPeer attributes) throws Exception {
    StringBuilder sb = new StringBuilder();
    Map<PartyId, PartyKind> kinds = f.kinds;
    for (AgreementRecord r : f.agreements) {
      if (!r.activeAt(DecisionFixture.NOW)) {
        continue;
      }
      for (Permission p : r.terms().permissions()) {
        sb.append("@id(\"")
            .append(r.terms().ref())
            .append('#')
            .append(p.id())
            .append("\")\n")
            .append("permit(principal == ")
            .append(principal(kinds, p.assignee()))
            .append(", action == Action::\"")
            .append(p.scope().wire())
            .append("\", resource)\nwhen { ")
            .append(set(p.purposes().stream().map(Purpose::wire).toList()))
            .append(".contains(context.purpose) && (")
            .append(subjectCondition(p.constraints()))
            .append(" || ")
            .append(datasetCondition(p.constraints()))
            .append(") };\n\n");
      }
      for (Prohibition p : r.terms().prohibitions()) {
        sb.append("@id(\"")
            .append(r.terms().ref())
            .append('#')
            .append(p.id())
            .append("\")\n")
            .append("forbid(principal, action, resource)\nwhen { resource.sources.containsAny(")
            .append(set(p.labelSources().stream().map(PartyId::value).toList()))
            .append(")");
        if (!p.consumers().isEmpty()) {
          sb.append(" && (")
              .append(
                  p.consumers().stream()
                      .map(c -> "principal == " + principal(kinds, c))
                      .collect(Collectors.joining(" || ")))
              .append(")");
        }
        if (!p.purposes().isEmpty()) {
          sb.append(" && ")
              .append(set(p.purposes().stream().map(Purpose::wire).toList()))
              .append(".contains(context.purpose)");
        }
        if (!p.exceptOnBehalfOf().isEmpty()) {
          sb.append(" && !")
              .append(set(p.exceptOnBehalfOf().stream().map(PartyId::value).toList()))
              .append(".contains(context.onBehalfOf)");
        }
        sb.append(" };\n\n");
      }
    }
    text = sb.toString();
    // cedar-java's fastest documented path: keep the parsed policy set in its native cache
    PolicySet.setCacheMaxPolicySets(4);
    policies = PolicySet.parsePolicies(text);
    requests = new AuthorizationRequest[f.mix.length];
    for (int i = 0; i < f.mix.length; i++) {
      requests[i] = request(f, i, (CasbinPeer.Attrs) attributes.requests[i][3]);
    }
  }

  boolean authorize(int i) throws Exception {
    var response = engine.isAuthorized(requests[i], policies, entities.get(i));
    var success =
        response.success.orElseThrow(() -> new IllegalStateException("cedar failed: " + response));
    if (!success.getErrors().isEmpty()) {
      throw new IllegalStateException("cedar policy errors: " + success.getErrors());
    }
    return success.isAllowed();
  }

  String policiesText() {
    return text;
  }

  List<Map<String, Object>> requestsJson() {
    return exported;
  }

  private static String principal(Map<PartyId, PartyKind> kinds, PartyId p) {
    return (kinds.get(p) == PartyKind.UNIT ? "Unit" : "Partner") + "::\"" + p.value() + "\"";
  }

  private static String set(java.util.Collection<?> values) {
    return new TreeSet<>(values.stream().map(Object::toString).toList())
        .stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
  }

  private static String subjectCondition(Constraints c) {
    StringBuilder sb = new StringBuilder("(resource is User");
    if (!c.jurisdictionsIncluded().isEmpty()) {
      String in = set(c.jurisdictionsIncluded());
      sb.append(" && (")
          .append(in)
          .append(".contains(resource.country) || ")
          .append(in)
          .append(".contains(resource.ruleSet))");
    }
    if (!c.jurisdictionsExcluded().isEmpty()) {
      String out = set(c.jurisdictionsExcluded());
      sb.append(" && !")
          .append(out)
          .append(".contains(resource.country) && !")
          .append(out)
          .append(".contains(resource.ruleSet)");
    }
    sb.append(" && resource.consents.contains(context.consentKey)")
        .append(
            " && (!(context.videoData && resource.ruleSet == \"US\") || resource.video.contains(context.consentParty)))");
    return sb.toString();
  }

  private static String datasetCondition(Constraints c) {
    StringBuilder sb = new StringBuilder("(resource is Dataset");
    if (!c.jurisdictionsIncluded().isEmpty()) {
      sb.append(" && ")
          .append(set(c.jurisdictionsIncluded()))
          .append(".containsAll(resource.jurisdictions)");
    }
    if (!c.jurisdictionsExcluded().isEmpty()) {
      sb.append(" && !resource.jurisdictions.containsAny(")
          .append(set(c.jurisdictionsExcluded()))
          .append(")");
    }
    return sb.append(")").toString();
  }

  private static CedarList strings(Set<String> values) {
    List<Value> l = new ArrayList<>();
    new TreeSet<>(values).forEach(v -> l.add(new PrimString(v)));
    return new CedarList(l);
  }

  private AuthorizationRequest request(DecisionFixture f, int i, CasbinPeer.Attrs a) {
    DecisionRequest r = f.mix[i];
    EntityUID principal =
        new EntityUID(
            f.kinds.get(r.principal()) == PartyKind.UNIT ? UNIT : PARTNER, r.principal().value());
    Map<String, Value> attrs = new HashMap<>();
    Map<String, Object> resourceJson = new HashMap<>();
    EntityUID resource;
    if (a.hasSubject()) {
      resource =
          new EntityUID(USER, Long.toString(java.util.Objects.requireNonNull(r.subject()).value()));
      attrs.put("country", new PrimString(String.valueOf(a.country())));
      attrs.put("ruleSet", new PrimString(String.valueOf(a.ruleSet())));
      attrs.put("consents", strings(a.validConsents()));
      attrs.put("video", strings(a.videoConsents()));
      attrs.put("sources", strings(Set.of()));
      resourceJson.put("uid", Map.of("type", "User", "id", Long.toString(r.subject().value())));
      resourceJson.put(
          "attrs",
          Map.of(
              "country",
              a.country(),
              "ruleSet",
              a.ruleSet(),
              "consents",
              new TreeSet<>(a.validConsents()),
              "video",
              new TreeSet<>(a.videoConsents()),
              "sources",
              List.of()));
    } else {
      resource = new EntityUID(DATASET, "d" + i);
      attrs.put("sources", strings(a.labelSources()));
      attrs.put("jurisdictions", strings(a.labelJurisdictions()));
      resourceJson.put("uid", Map.of("type", "Dataset", "id", "d" + i));
      resourceJson.put(
          "attrs",
          Map.of(
              "sources",
              new TreeSet<>(a.labelSources()),
              "jurisdictions",
              new TreeSet<>(a.labelJurisdictions())));
    }
    resourceJson.put("parents", List.of());
    entities.add(
        Set.of(new Entity(principal, Map.of(), Set.of()), new Entity(resource, attrs, Set.of())));
    Map<String, Value> context = new HashMap<>();
    context.put("purpose", new PrimString(r.purpose().wire()));
    context.put("consentKey", new PrimString(a.consentParty() + "|" + r.purpose().wire()));
    context.put("consentParty", new PrimString(a.consentParty()));
    context.put("onBehalfOf", new PrimString(a.onBehalfOf() == null ? "" : a.onBehalfOf()));
    context.put("videoData", new PrimBool(a.video()));
    Map<String, Object> ctxJson = new HashMap<>();
    ctxJson.put("purpose", r.purpose().wire());
    ctxJson.put("consentKey", a.consentParty() + "|" + r.purpose().wire());
    ctxJson.put("consentParty", a.consentParty());
    ctxJson.put("onBehalfOf", a.onBehalfOf() == null ? "" : a.onBehalfOf());
    ctxJson.put("videoData", a.video());
    Map<String, Object> req = new HashMap<>();
    req.put(
        "principal", Map.of("type", principal.getType().toString(), "id", r.principal().value()));
    req.put("action", Map.of("type", "Action", "id", r.scope().wire()));
    req.put("resource", resourceJson.get("uid"));
    req.put("context", ctxJson);
    req.put(
        "entities",
        List.of(
            Map.of("uid", req.get("principal"), "attrs", Map.of(), "parents", List.of()),
            resourceJson));
    exported.add(req);
    return new AuthorizationRequest(
        principal, new EntityUID(ACTION, r.scope().wire()), resource, context);
  }
}
