package org.datapact.core.jurisdiction;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.user.CountryCode;

/**
 * The data-protection rules of one jurisdiction, as data: which countries it covers, whether
 * consent must be explicit for every purpose, which data categories need a separate consent (and
 * how long that consent may last), and how fast an erasure must complete.
 *
 * @param id the rule set's id, e.g. {@code US}, {@code EU}, {@code DEFAULT}
 * @param countries the countries it covers; empty for the default rule set
 * @param explicitConsentRequired whether a purpose consent counts only when given explicitly (not
 *     by accepting terms)
 * @param specialConsents data categories that need a separate consent topic, with its maximum
 *     validity
 * @param erasureDeadline how long an erasure may take at most
 */
public record RuleSet(
    String id,
    Set<CountryCode> countries,
    boolean explicitConsentRequired,
    Map<DataCategory, SpecialConsent> specialConsents,
    Duration erasureDeadline) {

  /** Validates and copies. */
  public RuleSet {
    Objects.requireNonNull(id, "id");
    countries = Set.copyOf(countries);
    specialConsents = Map.copyOf(specialConsents);
    Objects.requireNonNull(erasureDeadline, "erasureDeadline");
    if (!id.matches("[A-Z][A-Z0-9_]{1,15}")) {
      throw new IllegalArgumentException(
          "rule set id `" + id + "` must be 2-16 uppercase letters, digits or _");
    }
  }

  /**
   * @return the typed id
   */
  public RuleSetId ruleSetId() {
    return RuleSetId.of(id);
  }

  /**
   * A consent a data category needs beyond the purpose consent.
   *
   * @param topic the consent topic, e.g. video sharing
   * @param maxValidity how long such a consent lasts at most after it was granted
   */
  public record SpecialConsent(ConsentTopic topic, Duration maxValidity) {
    /** Validates. */
    public SpecialConsent {
      Objects.requireNonNull(topic, "topic");
      if (maxValidity.isNegative() || maxValidity.isZero()) {
        throw new IllegalArgumentException("a special consent's maximum validity must be positive");
      }
    }
  }
}
