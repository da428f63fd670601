package org.datapact.store.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.world.DemoPolicy;
import org.junit.jupiter.api.Test;

class OdrlCodecTest {
  private final OdrlCodec odrl = new OdrlCodec();

  @Test
  void everyDemoAgreementRoundTripsThroughOdrl() throws Exception {
    for (AgreementRecord r : DemoPolicy.agreements()) {
      AgreementVersion v = r.terms();
      String json = odrl.toJson(v);
      assertThat(json).contains("\"@type\" : \"Agreement\"", "http://www.w3.org/ns/odrl.jsonld");
      assertThat(odrl.fromJson(json, "ignored", 99)).as(v.ref()).isEqualTo(v);
    }
  }

  @Test
  void exportsTheStreamflixRestrictionsAsOdrlProhibitions() {
    AgreementVersion v3 =
        DemoPolicy.agreements().stream()
            .map(AgreementRecord::terms)
            .filter(v -> v.ref().equals("streamflix-partnership@3"))
            .findFirst()
            .orElseThrow();
    var doc = odrl.toOdrl(v3);
    assertThat(doc.get("prohibition")).hasSize(2);
    assertThat(doc.get("obligation").toString())
        .contains("compensate", "150000000", "recommendation_sends");
  }

  @Test
  void importsAHandWrittenPolicyInTheW3cExamplesShape() throws Exception {
    String json =
        """
        {
          "@context": "http://www.w3.org/ns/odrl.jsonld",
          "@type": "Agreement",
          "uid": "http://example.com/policy:tunely-2",
          "profile": "urn:datapact:profile",
          "assignee": "urn:datapact:party:tunely",
          "permission": [{
            "target": "urn:datapact:scope:friends.list",
            "assignee": "urn:datapact:party:tunely",
            "action": "read",
            "constraint": [
              {"leftOperand": "purpose", "operator": "eq", "rightOperand": "recommendations"},
              {"leftOperand": "spatial", "operator": "neq", "rightOperand": "US"},
              {"leftOperand": "dateTime", "operator": "lt", "rightOperand": {"@value": "2030-01-01T00:00:00Z", "@type": "xsd:dateTime"}}
            ]
          }],
          "prohibition": [{
            "target": {"@type": "AssetCollection", "refinement": [{"leftOperand": "dp:labelSource", "operator": "isAnyOf", "rightOperand": ["tunely"]}]},
            "assignee": "urn:datapact:party:watch",
            "action": "use"
          }]
        }
        """;
    AgreementVersion v = odrl.fromJson(json, "tunely-handwritten", 1);
    assertThat(v.counterparty()).isEqualTo(PartyId.of("tunely"));
    assertThat(v.permissions())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.scope()).isEqualTo(Scope.FRIENDS_LIST);
              assertThat(p.purposes()).containsExactly(Purpose.RECOMMENDATIONS);
              assertThat(p.constraints().jurisdictionsExcluded())
                  .extracting(Object::toString)
                  .containsExactly("US");
              assertThat(p.constraints().notAfter()).hasToString("2030-01-01T00:00:00Z");
            });
    assertThat(v.prohibitions())
        .singleElement()
        .satisfies(p -> assertThat(p.consumers()).containsExactly(PartyId.of("watch")));
  }

  @Test
  void refusesAConstraintItCannotEvaluateInsteadOfDroppingIt() {
    String json =
        """
        {"@context": "http://www.w3.org/ns/odrl.jsonld", "@type": "Agreement", "assignee": "urn:datapact:party:tunely",
         "permission": [{"target": "urn:datapact:scope:profile.basic", "action": "read",
           "constraint": [{"leftOperand": "purpose", "operator": "eq", "rightOperand": "analytics"},
                          {"leftOperand": "recipient", "operator": "eq", "rightOperand": "x"}]}]}
        """;
    assertThatThrownBy(() -> odrl.fromJson(json, "t-deal", 1))
        .isInstanceOf(DataPactException.class)
        .hasMessage(
            "ODRL: /permission/0/constraint/1/leftOperand: unknown `recipient`; it cannot be evaluated");
  }

  @Test
  void refusesUnknownScopesActionsAndPurposes() {
    String base =
        """
        {"@context": "http://www.w3.org/ns/odrl.jsonld", "@type": "Agreement", "assignee": "urn:datapact:party:tunely",
         "permission": [{"target": "urn:datapact:scope:%s", "action": "%s",
           "constraint": [{"leftOperand": "purpose", "operator": "eq", "rightOperand": "%s"}]}]}
        """;
    assertThatThrownBy(
            () -> odrl.fromJson(base.formatted("inbox.write", "read", "analytics"), "t-deal", 1))
        .hasMessageContaining("unknown scope `inbox.write`");
    assertThatThrownBy(
            () -> odrl.fromJson(base.formatted("inbox.read", "play", "analytics"), "t-deal", 1))
        .hasMessageContaining("/permission/0/action: `play` does not match scope `inbox.read`");
    assertThatThrownBy(
            () -> odrl.fromJson(base.formatted("inbox.read", "read", "profit"), "t-deal", 1))
        .hasMessageContaining("unknown purpose `profit`");
    assertThatThrownBy(() -> odrl.fromJson("{\"@type\":\"Agreement\"}", "t-deal", 1))
        .hasMessageContaining("/@context: must include");
  }
}
