package org.datapact.core.jurisdiction;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.user.CountryCode;

/**
 * The catalogue of rule sets: which rules apply to a user's country. A country belongs to at most
 * one rule set; every other country falls under the default. Adding a country or region is adding a
 * {@link RuleSet} value, not code.
 */
public final class Jurisdictions {
  /** Id of the rule set for countries no other rule set covers. */
  public static final String DEFAULT = "DEFAULT";

  /** The 27 member states of the European Union. */
  public static final Set<String> EU_MEMBERS =
      Set.of(
          "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
          "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE");

  private final List<RuleSet> ruleSets;
  private final Map<CountryCode, RuleSet> byCountry = new HashMap<>();
  private final Map<String, RuleSet> byId = new HashMap<>();
  private final RuleSet fallback;

  /**
   * @param ruleSets the rule sets; exactly one with id {@value #DEFAULT} and no countries
   * @throws IllegalArgumentException if a country is in two rule sets, ids repeat, or the default
   *     is missing
   */
  public Jurisdictions(List<RuleSet> ruleSets) {
    this.ruleSets = List.copyOf(ruleSets);
    RuleSet def = null;
    for (RuleSet r : this.ruleSets) {
      if (byId.put(r.id(), r) != null) {
        throw new IllegalArgumentException("rule set `" + r.id() + "` is defined twice");
      }
      if (r.id().equals(DEFAULT)) {
        if (!r.countries().isEmpty()) {
          throw new IllegalArgumentException("the default rule set must not list countries");
        }
        def = r;
      }
      for (CountryCode c : r.countries()) {
        RuleSet previous = byCountry.put(c, r);
        if (previous != null) {
          throw new IllegalArgumentException(
              "country `" + c + "` is in both `" + previous.id() + "` and `" + r.id() + "`");
        }
      }
    }
    this.fallback = Objects.requireNonNull(def, "a `DEFAULT` rule set is required");
  }

  /**
   * The standard catalogue: {@code US} (video viewing data needs a separate video-sharing consent
   * valid at most two years, the shape of the Video Privacy Protection Act as amended in 2013),
   * {@code EU} (every purpose needs its own explicit consent; erasure within 30 days) and the
   * default (consent per purpose).
   */
  public static Jurisdictions standard() {
    return new Jurisdictions(
        List.of(
            new RuleSet(
                "US",
                Set.of(CountryCode.of("US")),
                false,
                Map.of(
                    DataCategory.VIDEO_VIEWING,
                    new RuleSet.SpecialConsent(ConsentTopic.VIDEO_SHARING, Duration.ofDays(730))),
                Duration.ofDays(45)),
            new RuleSet(
                "EU",
                EU_MEMBERS.stream().map(CountryCode::of).collect(Collectors.toSet()),
                true,
                Map.of(),
                Duration.ofDays(30)),
            new RuleSet(DEFAULT, Set.of(), false, Map.of(), Duration.ofDays(30))));
  }

  /**
   * @return the rule set that applies in {@code country}
   */
  public RuleSet of(CountryCode country) {
    return byCountry.getOrDefault(country, fallback);
  }

  /**
   * @return the rule set with this id
   */
  public Optional<RuleSet> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * @return the rule set with this id
   */
  public Optional<RuleSet> byId(RuleSetId id) {
    return byId(id.value());
  }

  /**
   * @return every rule set
   */
  public List<RuleSet> all() {
    return ruleSets;
  }
}
