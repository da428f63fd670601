package org.datapact.store.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Duty;
import org.datapact.core.agreement.Minimisation;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.junit.jupiter.api.Test;

/**
 * The ODRL importer is strict where a lenient one would fail open: every operator is honoured
 * exactly where a term admits it and refused where it does not; an unknown key anywhere is refused
 * with its JSON pointer; nested duties are read; numbers must be numbers.
 */
class OdrlStrictImportTest {
  private final OdrlCodec odrl = new OdrlCodec();

  private static final String HEAD =
      """
      {"@context": "http://www.w3.org/ns/odrl.jsonld", "@type": "Agreement", "assignee": "urn:datapact:party:tunely",
      """;

  /**
   * A policy with one permission to read profiles for analytics, plus {@code extra} constraints.
   */
  private static String permission(String extraConstraints, String extraKeys) {
    return HEAD
        + """
         "permission": [{"target": "urn:datapact:scope:profile.basic", "action": "read"%s,
           "constraint": [{"leftOperand": "purpose", "operator": "eq", "rightOperand": "analytics"}%s]}]}
        """
            .formatted(extraKeys, extraConstraints);
  }

  /** A policy with one prohibition on tunely-labelled data with {@code constraints}. */
  private static String prohibition(String constraints, String refinementOperator) {
    return HEAD
        + """
         "prohibition": [{"action": "use", "assignee": "urn:datapact:party:watch",
           "target": {"@type": "AssetCollection", "refinement": [{"leftOperand": "dp:labelSource", "operator": "%s", "rightOperand": ["tunely"]}]},
           "constraint": [%s]}]}
        """
            .formatted(refinementOperator, constraints);
  }

  private AgreementVersion read(String json) throws DataPactException {
    return odrl.fromJson(json, "t-deal", 1);
  }

  @Test
  void readsIsNoneOfOnAProhibitionsPurposeAsEveryOtherPurpose() throws Exception {
    var v =
        read(
            prohibition(
                "{\"leftOperand\": \"purpose\", \"operator\": \"isNoneOf\", \"rightOperand\": [\"analytics\"]}",
                "isAnyOf"));
    EnumSet<Purpose> expected = EnumSet.allOf(Purpose.class);
    expected.remove(Purpose.ANALYTICS);
    assertThat(v.prohibitions().get(0).purposes()).containsExactlyInAnyOrderElementsOf(expected);
    var any =
        read(
            prohibition(
                "{\"leftOperand\": \"purpose\", \"operator\": \"isAnyOf\", \"rightOperand\": [\"analytics\"]}",
                "isAnyOf"));
    assertThat(any.prohibitions().get(0).purposes()).containsExactly(Purpose.ANALYTICS);
    var neq =
        read(
            prohibition(
                "{\"leftOperand\": \"purpose\", \"operator\": \"neq\", \"rightOperand\": \"analytics\"}",
                "isAnyOf"));
    assertThat(neq.prohibitions().get(0).purposes())
        .doesNotContain(Purpose.ANALYTICS)
        .hasSize(Purpose.values().length - 1);
  }

  @Test
  void refusesAnOperatorALabelSourceDoesNotAdmit() {
    assertThatThrownBy(() -> read(prohibition("", "isNoneOf")))
        .hasMessageContaining(
            "/prohibition/0/target/refinement/0/operator: `isNoneOf` is not admitted for `dp:labelSource`");
  }

  @Test
  void refusesAPermissionPurposeOperatorOtherThanEqOrIsAnyOf() {
    String json =
        HEAD
            + """
         "permission": [{"target": "urn:datapact:scope:profile.basic", "action": "read",
           "constraint": [{"leftOperand": "purpose", "operator": "isNoneOf", "rightOperand": ["analytics"]}]}]}
        """;
    assertThatThrownBy(() -> read(json))
        .hasMessageContaining("/permission/0/constraint/0/operator: `isNoneOf` is not admitted");
  }

  @Test
  void spatialHonoursAllFourOperators() throws Exception {
    var v =
        read(
            permission(
                ",{\"leftOperand\": \"spatial\", \"operator\": \"isAnyOf\", \"rightOperand\": [\"EU\"]}"
                    + ",{\"leftOperand\": \"spatial\", \"operator\": \"neq\", \"rightOperand\": \"FR\"}",
                ""));
    assertThat(v.permissions().get(0).constraints().jurisdictionsIncluded())
        .extracting(Object::toString)
        .containsExactly("EU");
    assertThat(v.permissions().get(0).constraints().jurisdictionsExcluded())
        .extracting(Object::toString)
        .containsExactly("FR");
    assertThatThrownBy(
            () ->
                read(
                    permission(
                        ",{\"leftOperand\": \"spatial\", \"operator\": \"eq\", \"rightOperand\": [\"EU\", \"US\"]}",
                        "")))
        .hasMessageContaining(
            "/permission/0/constraint/1/rightOperand: this operator takes one value");
  }

  @Test
  void dateTimeTakesGteqAndLtExactlyAndRefusesGtAndLteq() throws Exception {
    var v =
        read(
            permission(
                ",{\"leftOperand\": \"dateTime\", \"operator\": \"gteq\", \"rightOperand\": \"2020-01-01T00:00:00Z\"}"
                    + ",{\"leftOperand\": \"dateTime\", \"operator\": \"lt\", \"rightOperand\": \"2021-01-01T00:00:00Z\"}",
                ""));
    assertThat(v.permissions().get(0).constraints().notBefore())
        .isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    assertThat(v.permissions().get(0).constraints().notAfter())
        .isEqualTo(Instant.parse("2021-01-01T00:00:00Z"));
    assertThatThrownBy(
            () ->
                read(
                    permission(
                        ",{\"leftOperand\": \"dateTime\", \"operator\": \"gt\", \"rightOperand\": \"2020-01-01T00:00:00Z\"}",
                        "")))
        .hasMessageContaining("`gt` is not admitted for `dateTime`");
    assertThatThrownBy(
            () ->
                read(
                    permission(
                        ",{\"leftOperand\": \"dateTime\", \"operator\": \"lteq\", \"rightOperand\": \"2020-01-01T00:00:00Z\"}",
                        "")))
        .hasMessageContaining("`lteq` is not admitted for `dateTime`");
  }

  @Test
  void minimisationTakesOnlyEq() throws Exception {
    var v =
        read(
            permission(
                ",{\"leftOperand\": \"dp:minimisation\", \"operator\": \"eq\", \"rightOperand\": \"app_threads_only\"}",
                ""));
    assertThat(v.permissions().get(0).constraints().minimisation())
        .isEqualTo(Minimisation.APP_THREADS_ONLY);
    assertThatThrownBy(
            () ->
                read(
                    permission(
                        ",{\"leftOperand\": \"dp:minimisation\", \"operator\": \"neq\", \"rightOperand\": \"app_threads_only\"}",
                        "")))
        .hasMessageContaining("`neq` is not admitted for `dp:minimisation`");
  }

  @Test
  void minCohortTakesOnlyGteqAndANumber() throws Exception {
    String agg =
        ",{\"leftOperand\": \"dp:minimisation\", \"operator\": \"eq\", \"rightOperand\": \"aggregate_only\"}";
    var v =
        read(
            permission(
                agg
                    + ",{\"leftOperand\": \"dp:minCohort\", \"operator\": \"gteq\", \"rightOperand\": 50}",
                ""));
    assertThat(v.permissions().get(0).constraints().minCohort()).isEqualTo(50);
    assertThatThrownBy(
            () ->
                read(
                    permission(
                        agg
                            + ",{\"leftOperand\": \"dp:minCohort\", \"operator\": \"gteq\", \"rightOperand\": \"fifty\"}",
                        "")))
        .hasMessageContaining("/permission/0/constraint/2/rightOperand: must be a whole number");
    assertThatThrownBy(
            () ->
                read(
                    permission(
                        agg
                            + ",{\"leftOperand\": \"dp:minCohort\", \"operator\": \"lteq\", \"rightOperand\": 50}",
                        "")))
        .hasMessageContaining("`lteq` is not admitted for `dp:minCohort`");
  }

  @Test
  void countLtIsOneFewerThanLteqAndMustBeANumber() throws Exception {
    var lteq =
        read(
            permission(
                ",{\"leftOperand\": \"count\", \"operator\": \"lteq\", \"rightOperand\": 10, \"dp:per\": \"PT1M\"}",
                ""));
    assertThat(lteq.permissions().get(0).constraints().rateLimit().requests()).isEqualTo(10);
    assertThat(lteq.permissions().get(0).constraints().rateLimit().per())
        .isEqualTo(Duration.ofMinutes(1));
    var lt =
        read(
            permission(
                ",{\"leftOperand\": \"count\", \"operator\": \"lt\", \"rightOperand\": 10}", ""));
    assertThat(lt.permissions().get(0).constraints().rateLimit().requests()).isEqualTo(9);
    assertThatThrownBy(
            () ->
                read(
                    permission(
                        ",{\"leftOperand\": \"count\", \"operator\": \"lteq\", \"rightOperand\": \"10\"}",
                        "")))
        .hasMessageContaining("must be a whole number");
    assertThatThrownBy(
            () ->
                read(
                    permission(
                        ",{\"leftOperand\": \"count\", \"operator\": \"gteq\", \"rightOperand\": 10}",
                        "")))
        .hasMessageContaining("`gteq` is not admitted for `count`");
  }

  @Test
  void payAmountTakesOnlyGteqAndANumber() throws Exception {
    String duty =
        HEAD
            + """
         "obligation": [{"action": "compensate", "refinement": [
           {"leftOperand": "payAmount", "operator": "%s", "rightOperand": %s, "dp:currency": "USD"},
           {"leftOperand": "dateTime", "operator": "eq", "rightOperand": "2017"}]}]}
        """;
    var v = read(duty.formatted("gteq", "150000000"));
    assertThat(v.duties().get(0))
        .isInstanceOfSatisfying(
            Duty.Spend.class,
            sp -> assertThat(sp.amount()).isEqualByComparingTo(new BigDecimal("150000000")));
    assertThatThrownBy(() -> read(duty.formatted("lteq", "150000000")))
        .hasMessageContaining("`lteq` is not admitted for `payAmount`");
    assertThatThrownBy(() -> read(duty.formatted("gteq", "\"a lot\"")))
        .hasMessageContaining("/obligation/0/refinement/0/rightOperand: must be a number");
  }

  @Test
  void refusesAnUnknownKeyAnywhereWithItsJsonPointer() {
    assertThatThrownBy(() -> read(permission("", ", \"dp:secretClause\": true")))
        .hasMessageContaining("/permission/0/dp:secretClause: unknown term");
    assertThatThrownBy(
            () ->
                read(
                    permission(
                        ",{\"leftOperand\": \"spatial\", \"operator\": \"eq\", \"rightOperand\": \"EU\", \"unit\": \"x\"}",
                        "")))
        .hasMessageContaining("/permission/0/constraint/1/unit: unknown term");
    assertThatThrownBy(() -> read(HEAD + "\"dp:notes\": \"x\"}"))
        .hasMessageContaining("/dp:notes: unknown term");
  }

  @Test
  void readsADutyNestedInAPermission() throws Exception {
    var v =
        read(
            permission(
                "",
                ", \"duty\": [{\"action\": \"dp:report\", \"dp:metric\": \"recommendation_sends\","
                    + " \"dp:period\": \"month\", \"dp:dueAfterDays\": 10, \"dp:graceDays\": 5}]"));
    assertThat(v.duties())
        .singleElement()
        .isInstanceOfSatisfying(
            Duty.Report.class,
            d -> {
              assertThat(d.party()).isEqualTo(PartyId.of("tunely"));
              assertThat(d.metric()).isEqualTo("recommendation_sends");
              assertThat(d.dueAfterDays()).isEqualTo(10);
              assertThat(d.gates())
                  .as("a duty nested in a permission is what the permission depends on")
                  .containsExactly(v.permissions().get(0).id());
              assertThat(d.tolerancePercent()).isEqualTo(Duty.Report.DEFAULT_TOLERANCE_PERCENT);
            });
    assertThatThrownBy(
            () ->
                read(
                    permission(
                        "",
                        ", \"duty\": [{\"action\": \"dp:report\", \"dp:metric\": \"m\","
                            + " \"dp:period\": \"month\", \"dp:dueAfterDays\": \"ten\"}]")))
        .hasMessageContaining("/permission/0/duty/0/dp:dueAfterDays: must be a whole number");
  }

  @Test
  void refusesAReportDutyGatingAPermissionTheVersionLacksOrAToleranceOverAHundred() {
    String obligation =
        """
         "permission": [{"uid": "urn:datapact:agreement:t-deal:1#inbox", "target": "urn:datapact:scope:profile.basic",
           "action": "read", "constraint": [{"leftOperand": "purpose", "operator": "eq", "rightOperand": "analytics"}]}],
         "obligation": [{"action": "dp:report", "dp:metric": "recommendation_sends", "dp:period": "quarter",
           "dp:tolerancePercent": %s, "dp:gates": [%s]}]}
        """;
    assertThatThrownBy(() -> read(HEAD + obligation.formatted("5", "\"urn:x#send\"")))
        .hasMessageContaining("gates `send`, which is no permission of this version");
    assertThatThrownBy(() -> read(HEAD + obligation.formatted("150", "\"inbox\"")))
        .hasMessageContaining("tolerance must be from 0 to 100 percent");
    assertThatThrownBy(() -> read(HEAD + obligation.formatted("5", "3")))
        .hasMessageContaining("/obligation/0/dp:gates/0");
  }

  @Test
  void readsAndWritesTheDomainsLinksMayPointTo() throws Exception {
    var v =
        read(
            permission(
                ",{\"leftOperand\": \"dp:linkDomain\", \"operator\": \"isAnyOf\", \"rightOperand\": [\"tunely.example\"]}",
                ""));
    assertThat(v.permissions().get(0).constraints().linkDomains())
        .containsExactly("tunely.example");
    assertThat(v.permissions().get(0).constraints().allowsLinkTo("play.tunely.example")).isTrue();
    assertThat(v.permissions().get(0).constraints().allowsLinkTo("tunely.example.evil.test"))
        .isFalse();
    assertThat(odrl.fromJson(odrl.toJson(v), "x", 2)).isEqualTo(v);
  }
}
