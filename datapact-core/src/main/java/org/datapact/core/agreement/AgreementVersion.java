package org.datapact.core.agreement;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.datapact.core.party.PartyId;
import org.jspecify.annotations.Nullable;

/**
 * One immutable version of a data-sharing agreement between the platform and a counterparty (a
 * partner, or {@code platform} itself for the internal data-use policy). An amendment is a new
 * version; versions are never edited.
 *
 * @param agreementId the agreement's id, e.g. {@code streamflix-partnership}
 * @param version 1, 2, ...
 * @param counterparty the other party
 * @param title a human title
 * @param effectiveFrom when the version can first decide
 * @param effectiveUntil when it stops deciding (exclusive), or null
 * @param permissions what is allowed
 * @param prohibitions what is forbidden (binding everyone handling the labelled data)
 * @param duties what the parties must do
 */
public record AgreementVersion(
    String agreementId,
    int version,
    PartyId counterparty,
    String title,
    Instant effectiveFrom,
    @Nullable Instant effectiveUntil,
    List<Permission> permissions,
    List<Prohibition> prohibitions,
    List<Duty> duties) {

  /** Validates every term: unique rule ids, a sane window. */
  public AgreementVersion {
    Objects.requireNonNull(agreementId, "agreementId");
    Objects.requireNonNull(counterparty, "counterparty");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    permissions = List.copyOf(permissions);
    prohibitions = List.copyOf(prohibitions);
    duties = List.copyOf(duties);
    if (!agreementId.matches("[a-z][a-z0-9-]{1,63}")) {
      throw new IllegalArgumentException(
          "agreement id `" + agreementId + "` must be a lowercase slug");
    }
    if (version < 1) {
      throw new IllegalArgumentException(
          "agreement `" + agreementId + "`: version must be at least 1, got `" + version + "`");
    }
    if (effectiveUntil != null && !effectiveUntil.isAfter(effectiveFrom)) {
      throw new IllegalArgumentException(
          "agreement `" + agreementId + "` v" + version + " ends before it starts");
    }
    Set<String> ids = new HashSet<>();
    for (Permission p : permissions) {
      if (!ids.add(p.id())) {
        throw new IllegalArgumentException(
            "agreement `" + agreementId + "` v" + version + ": rule id `" + p.id() + "` repeats");
      }
    }
    for (Prohibition p : prohibitions) {
      if (!ids.add(p.id())) {
        throw new IllegalArgumentException(
            "agreement `" + agreementId + "` v" + version + ": rule id `" + p.id() + "` repeats");
      }
    }
    Set<String> permissionIds = new HashSet<>();
    permissions.forEach(p -> permissionIds.add(p.id()));
    for (Duty d : duties) {
      if (!ids.add(d.id())) {
        throw new IllegalArgumentException(
            "agreement `" + agreementId + "` v" + version + ": rule id `" + d.id() + "` repeats");
      }
      for (String gate : d.match(Duty.Report::gates, s -> Set.<String>of())) {
        if (!permissionIds.contains(gate)) {
          throw new IllegalArgumentException(
              "agreement `"
                  + agreementId
                  + "` v"
                  + version
                  + ": duty `"
                  + d.id()
                  + "` gates `"
                  + gate
                  + "`, which is no permission of this version");
        }
      }
    }
  }

  /**
   * @return {@code agreementId@version}, the reference decisions name
   */
  public String ref() {
    return agreementId + "@" + version;
  }
}
