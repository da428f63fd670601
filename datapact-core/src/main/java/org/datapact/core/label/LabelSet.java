package org.datapact.core.label;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.DataCategory;

/**
 * The labels of a datum or a derived dataset. A dataset derived from labelled inputs carries the
 * union of their labels: an audience segment built from {@code streamflix} signals is itself {@code
 * streamflix}-labelled, so prohibitions follow the data.
 *
 * @param labels the labels, never null
 */
public record LabelSet(Set<Label> labels) {
  /** The empty label set. */
  public static final LabelSet EMPTY = new LabelSet(Set.of());

  /** Copies. */
  public LabelSet {
    labels = Set.copyOf(labels);
  }

  /**
   * @return a set of these labels
   */
  public static LabelSet of(Label... labels) {
    return new LabelSet(Set.of(labels));
  }

  /**
   * @return the labels of a dataset derived from all {@code inputs}: their union
   */
  public static LabelSet derivedFrom(Collection<LabelSet> inputs) {
    Set<Label> all = new HashSet<>();
    inputs.forEach(i -> all.addAll(i.labels));
    return new LabelSet(all);
  }

  /**
   * @return this set's labels together with {@code other}'s
   */
  public LabelSet union(LabelSet other) {
    Set<Label> all = new HashSet<>(labels);
    all.addAll(other.labels);
    return new LabelSet(all);
  }

  /**
   * @return whether any label's source is {@code party}
   */
  public boolean hasSource(PartyId party) {
    for (Label l : labels) {
      if (l.source().equals(party)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @return whether any label's category is {@code category}
   */
  public boolean hasCategory(DataCategory category) {
    for (Label l : labels) {
      if (l.category() == category) {
        return true;
      }
    }
    return false;
  }

  /**
   * @return whether there are no labels
   */
  public boolean isEmpty() {
    return labels.isEmpty();
  }
}
