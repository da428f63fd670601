package org.datapact.bench;

import com.googlecode.aviator.runtime.function.FunctionUtils;
import com.googlecode.aviator.runtime.type.AviatorBoolean;
import com.googlecode.aviator.runtime.type.AviatorObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;
import org.casbin.jcasbin.util.function.CustomFunction;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Permission;
import org.datapact.core.agreement.Prohibition;
import org.datapact.core.consent.ConsentBasis;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.label.Label;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.policy.Purpose;
import org.jspecify.annotations.Nullable;

/**
 * jCasbin (the Java Casbin) with an ABAC model equivalent to DataPact's decision rules at one
 * instant: one policy line per (assignee, scope, purpose) of every agreement version in force,
 * matched on the request, with the attribute predicates — jurisdiction constraints, consent
 * (explicit where the rule set demands it, the US video rule), and label prohibitions — as custom
 * matcher functions over the request's attribute object. Consent validity at the instant is
 * precomputed into the attributes, which favours the peer. Logging is off.
 */
final class CasbinPeer {
  static final String MODEL =
      """
      [request_definition]
      r = sub, act, purpose, attrs

      [policy_definition]
      p = sub, act, purpose, rule, included, excluded

      [policy_effect]
      e = some(where (p.eft == allow))

      [matchers]
      m = r.sub == p.sub && r.act == p.act && r.purpose == p.purpose && jurisdictionOk(r.attrs, p.included, p.excluded) && consentOk(r.attrs, r.purpose) && notProhibited(r.attrs, r.purpose)
      """;

  /** The ABAC attributes of one request, as a policy enforcement point would gather them. */
  record Attrs(
      boolean hasSubject,
      @Nullable String country,
      @Nullable String ruleSet,
      String consentParty,
      Set<String> validConsents,
      Set<String> videoConsents,
      boolean video,
      Set<String> labelSources,
      Set<String> labelJurisdictions,
      String principal,
      @Nullable String onBehalfOf) {}

  final Enforcer enforcer;
  final Object[][] requests;
  private final List<Prohibition> prohibitions = new ArrayList<>();

  CasbinPeer(DecisionFixture f) {
    Model model = new Model();
    model.loadModelFromText(MODEL);
    enforcer = new Enforcer(model);
    enforcer.enableLog(false);
    enforcer.addFunction("jurisdictionOk", new JurisdictionOk());
    enforcer.addFunction("consentOk", new ConsentOk());
    enforcer.addFunction("notProhibited", new NotProhibited());
    List<List<String>> lines = new ArrayList<>();
    for (AgreementRecord r : f.agreements) {
      if (!r.activeAt(DecisionFixture.NOW)) {
        continue;
      }
      prohibitions.addAll(r.terms().prohibitions());
      for (Permission p : r.terms().permissions()) {
        for (Purpose purpose : p.purposes()) {
          lines.add(
              List.of(
                  p.assignee().value(),
                  p.scope().wire(),
                  purpose.wire(),
                  r.terms().ref() + "#" + p.id(),
                  names(p.constraints().jurisdictionsIncluded()),
                  names(p.constraints().jurisdictionsExcluded())));
        }
      }
    }
    enforcer.addPolicies(lines);
    requests = attributes(f);
  }

  boolean enforce(Object[] request) {
    return enforcer.enforce(request);
  }

  private Object[][] attributes(DecisionFixture f) {
    Set<Long> users = new HashSet<>();
    for (DecisionRequest r : f.mix) {
      if (r.subject() != null) {
        users.add(r.subject().value());
      }
    }
    Map<Long, Map<String, ConsentChange>> current = new HashMap<>();
    for (ConsentChange c : f.consents) {
      if (users.contains(c.user().value())) {
        current
            .computeIfAbsent(c.user().value(), k -> new LinkedHashMap<>())
            .put(c.party().value() + "|" + c.topic().wire(), c);
      }
    }
    Instant now = DecisionFixture.NOW;
    Object[][] out = new Object[f.mix.length][];
    for (int i = 0; i < f.mix.length; i++) {
      DecisionRequest r = f.mix[i];
      String consentParty =
          f.kinds.get(r.principal()) == PartyKind.UNIT
              ? PolicySnapshot.PLATFORM.value()
              : r.principal().value();
      Set<String> valid = new HashSet<>();
      Set<String> video = new HashSet<>();
      String country = null;
      String ruleSet = null;
      if (r.subject() != null) {
        country = f.countries.get(f.countryIndex[(int) r.subject().value()]);
        ruleSet = f.ruleSet(r.subject());
        for (ConsentChange c : current.getOrDefault(r.subject().value(), Map.of()).values()) {
          boolean ok =
              c.granted()
                  && !c.at().isAfter(now)
                  && (c.expiresAt() == null || c.expiresAt().isAfter(now));
          if (!ok) {
            continue;
          }
          if (c.topic().wire().equals("video_sharing")) {
            if (c.at().plus(DecisionFixture.maxVideo()).isAfter(now)) {
              video.add(c.party().value());
            }
          } else if (!ruleSet.equals("EU") || c.basis() == ConsentBasis.EXPLICIT) {
            valid.add(c.party().value() + "|" + c.topic().wire());
          }
        }
      }
      Set<String> sources = new HashSet<>();
      Set<String> jurisdictions = new HashSet<>();
      boolean videoData = r.scope().category() == DataCategory.VIDEO_VIEWING;
      for (Label l : r.labels().labels()) {
        sources.add(l.source().value());
        jurisdictions.add(l.jurisdiction().value());
        videoData |= l.category() == DataCategory.VIDEO_VIEWING;
      }
      Attrs a =
          new Attrs(
              r.subject() != null,
              country,
              ruleSet,
              consentParty,
              valid,
              video,
              videoData,
              sources,
              jurisdictions,
              r.principal().value(),
              r.onBehalfOf() == null ? null : r.onBehalfOf().value());
      out[i] = new Object[] {r.principal().value(), r.scope().wire(), r.purpose().wire(), a};
    }
    return out;
  }

  private static Set<String> terms(String csv) {
    return csv.isEmpty() ? Set.of() : Set.of(csv.split(","));
  }

  private static final class JurisdictionOk extends CustomFunction {
    @Override
    public AviatorObject call(
        Map<String, Object> env,
        AviatorObject attrs,
        AviatorObject included,
        AviatorObject excluded) {
      Attrs a = (Attrs) FunctionUtils.getJavaObject(attrs, env);
      Set<String> in = terms(FunctionUtils.getStringValue(included, env));
      Set<String> out = terms(FunctionUtils.getStringValue(excluded, env));
      if (a.hasSubject()) {
        boolean inc = in.isEmpty() || in.contains(a.country()) || in.contains(a.ruleSet());
        if (!inc || out.contains(a.country()) || out.contains(a.ruleSet())) {
          return AviatorBoolean.FALSE;
        }
      }
      for (String j : a.labelJurisdictions()) {
        if (!(in.isEmpty() || in.contains(j)) || out.contains(j)) {
          return AviatorBoolean.FALSE;
        }
      }
      return AviatorBoolean.TRUE;
    }

    @Override
    public String getName() {
      return "jurisdictionOk";
    }
  }

  private static final class ConsentOk extends CustomFunction {
    @Override
    public AviatorObject call(Map<String, Object> env, AviatorObject attrs, AviatorObject purpose) {
      Attrs a = (Attrs) FunctionUtils.getJavaObject(attrs, env);
      if (!a.hasSubject()) {
        return AviatorBoolean.TRUE;
      }
      if (!a.validConsents()
          .contains(a.consentParty() + "|" + FunctionUtils.getStringValue(purpose, env))) {
        return AviatorBoolean.FALSE;
      }
      if (a.video() && "US".equals(a.ruleSet()) && !a.videoConsents().contains(a.consentParty())) {
        return AviatorBoolean.FALSE;
      }
      return AviatorBoolean.TRUE;
    }

    @Override
    public String getName() {
      return "consentOk";
    }
  }

  private final class NotProhibited extends CustomFunction {
    @Override
    public AviatorObject call(Map<String, Object> env, AviatorObject attrs, AviatorObject purpose) {
      Attrs a = (Attrs) FunctionUtils.getJavaObject(attrs, env);
      String p = FunctionUtils.getStringValue(purpose, env);
      for (Prohibition x : prohibitions) {
        boolean consumer =
            x.consumers().isEmpty()
                || x.consumers().stream().anyMatch(c -> c.value().equals(a.principal()));
        boolean forPurpose =
            x.purposes().isEmpty() || x.purposes().stream().anyMatch(q -> q.wire().equals(p));
        boolean exempt =
            a.onBehalfOf() != null
                && x.exceptOnBehalfOf().stream().anyMatch(e -> e.value().equals(a.onBehalfOf()));
        boolean labelled =
            x.labelSources().stream().anyMatch(s -> a.labelSources().contains(s.value()));
        if (consumer && forPurpose && !exempt && labelled) {
          return AviatorBoolean.FALSE;
        }
      }
      return AviatorBoolean.TRUE;
    }

    @Override
    public String getName() {
      return "notProhibited";
    }
  }

  private static String names(
      java.util.Set<org.datapact.core.jurisdiction.JurisdictionTerm> terms) {
    return terms.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(","));
  }
}
