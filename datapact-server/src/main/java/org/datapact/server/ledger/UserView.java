package org.datapact.server.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.user.UserId;
import org.datapact.ledger.subject.SubjectIndex;
import org.datapact.ledger.subject.SubjectKeys;

/**
 * Reading the ledger back: one entry as the regulator sees it (personal fields opened unless
 * erased), and a user's own entries through the subject index.
 */
final class UserView {
  private final LedgerService ledger;
  private final SubjectIndex index;
  private final ObjectMapper mapper;

  UserView(LedgerService ledger, SubjectIndex index, ObjectMapper mapper) {
    this.ledger = ledger;
    this.index = index;
    this.mapper = mapper;
  }

  /**
   * @return entry {@code index} as the regulator sees it, personal fields opened unless erased
   */
  ObjectNode entry(long index) throws DataPactException {
    try {
      return LedgerEntries.view(mapper, ledger.subjects(), index, ledger.log().entry(index));
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot read ledger entry " + index + ": " + e.getMessage(), e);
    }
  }

  /**
   * @return the user's own entries, newest first, below {@code before}, at most {@code limit}
   */
  List<ObjectNode> entriesOf(UserId user, long before, int limit) throws DataPactException {
    Optional<SubjectKeys.Subject> s;
    try {
      s = ledger.subjects().find(user.value());
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot read the ledger's key store: " + e.getMessage(), e);
    }
    if (s.isEmpty()) {
      return List.of();
    }
    List<ObjectNode> out = new ArrayList<>();
    String pseudonym = s.get().pseudonym();
    List<Long> indexes;
    try {
      indexes = index.entries(SubjectIndex.key(pseudonym), before, limit);
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot read the ledger's subject index: " + e.getMessage(), e);
    }
    for (long i : indexes) {
      // the index keys on 64 bits of the pseudonym: keep only entries that name this subject in
      // full
      try {
        byte[] bytes = ledger.log().entry(i);
        // the codec's streaming read of the subjects: the view below parses the entry once more
        if (EntryCodec.subjectsOf(bytes).contains(pseudonym)) {
          out.add(LedgerEntries.view(mapper, ledger.subjects(), i, bytes));
        }
      } catch (IOException e) {
        throw new DataPactException(
            ErrorKind.UNAVAILABLE, "cannot read ledger entry " + i + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * @return entry {@code index}'s bytes when it names the user, empty otherwise (another user's
   *     entry, one about nobody, or one the user's erased identity named)
   */
  Optional<byte[]> ownEntry(UserId user, long index) throws DataPactException {
    try {
      Optional<SubjectKeys.Subject> s = ledger.subjects().find(user.value());
      if (s.isEmpty() || index < 0 || index >= ledger.log().size()) {
        return Optional.empty();
      }
      byte[] bytes = ledger.log().entry(index);
      return EntryCodec.subjectsOf(bytes).contains(s.get().pseudonym())
          ? Optional.of(bytes)
          : Optional.empty();
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot read ledger entry " + index + ": " + e.getMessage(), e);
    }
  }
}
