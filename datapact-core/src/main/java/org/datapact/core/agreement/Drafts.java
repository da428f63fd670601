package org.datapact.core.agreement;

import java.time.Instant;
import java.util.List;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;

/**
 * A new draft: the next version of an agreement with the same counterparty, or version 1 of a new
 * one, with a history that starts as a draft — never in force until approved.
 */
public final class Drafts {
  private Drafts() {}

  /**
   * @param all every agreement version there is
   * @param by who drafted it, e.g. {@code operator:oscar}
   * @return the draft's record
   * @throws DataPactException invalid for a missing id or another counterparty, conflict for a
   *     version that is not the next
   */
  public static AgreementRecord draft(
      List<AgreementRecord> all, AgreementVersion v, Instant at, String by)
      throws DataPactException {
    if (v.agreementId().isBlank()) {
      throw DataPactException.invalid("`dp:agreement`: the agreement's id is required");
    }
    int latest = 0;
    for (AgreementRecord r : all) {
      if (r.terms().agreementId().equals(v.agreementId())) {
        latest = Math.max(latest, r.terms().version());
        if (!r.terms().counterparty().equals(v.counterparty())) {
          throw DataPactException.invalid(
              "`assignee`: "
                  + v.agreementId()
                  + " is with `"
                  + r.terms().counterparty()
                  + "`, not `"
                  + v.counterparty()
                  + "`");
        }
      }
    }
    if (v.version() != latest + 1) {
      throw new DataPactException(
          ErrorKind.CONFLICT,
          "`dp:version`: the next version of `"
              + v.agreementId()
              + "` is "
              + (latest + 1)
              + ", got "
              + v.version());
    }
    return new AgreementRecord(
        v, List.of(new AgreementRecord.StatusChange(AgreementStatus.DRAFT, at, by)));
  }
}
