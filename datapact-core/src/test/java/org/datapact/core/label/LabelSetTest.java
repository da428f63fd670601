package org.datapact.core.label;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;
import org.junit.jupiter.api.Test;

class LabelSetTest {
  static final Label STREAMFLIX_US =
      new Label(
          PartyId.of("streamflix"),
          DataCategory.VIDEO_VIEWING,
          org.datapact.core.jurisdiction.RuleSetId.of("US"));
  static final Label PLATFORM_EU =
      new Label(
          PartyId.of("platform"),
          DataCategory.SOCIAL_GRAPH,
          org.datapact.core.jurisdiction.RuleSetId.of("EU"));

  @Test
  void aDerivedDatasetCarriesTheUnionOfItsInputsLabels() {
    LabelSet segment =
        LabelSet.derivedFrom(List.of(LabelSet.of(STREAMFLIX_US), LabelSet.of(PLATFORM_EU)));
    assertThat(segment.labels()).containsExactlyInAnyOrder(STREAMFLIX_US, PLATFORM_EU);
    assertThat(segment.hasSource(PartyId.of("streamflix"))).isTrue();
    assertThat(segment.hasCategory(DataCategory.SOCIAL_GRAPH)).isTrue();
  }

  @Test
  void derivingFromADerivedDatasetKeepsEveryLabel() {
    LabelSet first = LabelSet.derivedFrom(List.of(LabelSet.of(STREAMFLIX_US)));
    LabelSet second = LabelSet.derivedFrom(List.of(first, LabelSet.of(PLATFORM_EU)));
    assertThat(second.hasSource(PartyId.of("streamflix")))
        .as("provenance survives derivation")
        .isTrue();
    assertThat(first.union(LabelSet.EMPTY)).isEqualTo(first);
  }

  @Test
  void aDatasetWithoutPartnerInputsIsNotPartnerLabelled() {
    assertThat(LabelSet.of(PLATFORM_EU).hasSource(PartyId.of("streamflix"))).isFalse();
    assertThat(LabelSet.EMPTY.isEmpty()).isTrue();
  }
}
