package org.datapact.server.release;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.datapact.core.label.Label;

/**
 * A label on the wire, as DataPact attached it to what it released.
 *
 * @param jurisdiction the rule set of the data's subjects, e.g. {@code EU}
 */
public record LabelAnswer(String source, String category, String jurisdiction) {
  /**
   * @return the wire form of {@code l}
   */
  public static LabelAnswer of(Label l) {
    return new LabelAnswer(l.source().value(), l.category().wire(), l.jurisdiction().value());
  }

  /**
   * @return the wire forms of {@code labels}, by source, category and rule set
   */
  public static List<LabelAnswer> sorted(Collection<Label> labels) {
    return labels.stream()
        .map(LabelAnswer::of)
        .sorted(
            Comparator.comparing(LabelAnswer::source)
                .thenComparing(LabelAnswer::category)
                .thenComparing(LabelAnswer::jurisdiction))
        .toList();
  }
}
