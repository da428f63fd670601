package org.datapact.server.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementStatus;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.user.UserId;
import org.datapact.ledger.log.LogReader;
import org.datapact.ledger.subject.SubjectKeys;
import org.jspecify.annotations.Nullable;

/**
 * What a draft would change, replayed on the record: every decision ledgered in the last {@code
 * days} days (what-ifs aside) is re-decided at its own time twice — under the agreements as they
 * are, and as if the draft had been in force since the window began, the version it amends ended
 * then — and the two effects are compared. Decisions whose subject was erased cannot be replayed
 * and are counted apart. The log is read in chunks, each decoded, opened and decided on all cores
 * over the two immutable snapshots.
 */
public final class ImpactReplay {
  private ImpactReplay() {}

  /** A decision the draft would change. */
  public record Change(
      long index,
      String principal,
      String scope,
      String purpose,
      String at,
      String before,
      String after) {}

  /** The changes of one scope and purpose. */
  public record ByUse(String scope, String purpose, long allowToDeny, long denyToAllow) {}

  /**
   * The replay's result.
   *
   * @param replayed decisions re-decided
   * @param changed those whose effect the draft changes
   * @param usersChanged distinct subjects of the changed decisions
   * @param notReplayable decisions whose subject was erased
   * @param examples up to ten changed decisions, newest first
   */
  public record Result(
      String draft,
      int days,
      long replayed,
      long changed,
      long usersChanged,
      long notReplayable,
      List<ByUse> byUse,
      List<Change> examples,
      double seconds) {}

  /** A decision entry in the window, with its subject's user id when it has one. */
  private record Item(long index, LedgerEntry.DecisionEntry entry, @Nullable UserId user) {}

  /**
   * @return the snapshot with {@code draft} in force from {@code from} and any active version of
   *     the same agreement ended then
   */
  public static PolicySnapshot withDraft(
      PolicySnapshot current, AgreementRecord draft, Instant from) {
    List<AgreementRecord> all = new ArrayList<>();
    for (AgreementRecord r : current.agreements()) {
      if (r.terms().ref().equals(draft.terms().ref())) {
        continue;
      }
      if (r.terms().agreementId().equals(draft.terms().agreementId())
          && r.statusAt(from) == AgreementStatus.ACTIVE) {
        r = r.with(new AgreementRecord.StatusChange(AgreementStatus.EXPIRED, from, "impact"));
      }
      all.add(r);
    }
    AgreementVersion t = draft.terms();
    AgreementVersion inForce =
        new AgreementVersion(
            t.agreementId(),
            t.version(),
            t.counterparty(),
            t.title(),
            from,
            null,
            t.permissions(),
            t.prohibitions(),
            t.duties());
    all.add(
        new AgreementRecord(
            inForce,
            List.of(new AgreementRecord.StatusChange(AgreementStatus.ACTIVE, from, "impact"))));
    return current.withAgreements(all);
  }

  /**
   * Replays the last {@code days} days of the ledger at {@code ledgerDir} under {@code draft}.
   *
   * @throws IOException if the log cannot be read
   */
  public static Result run(
      Path ledgerDir,
      ObjectMapper mapper,
      SubjectKeys keys,
      PolicySnapshot current,
      AgreementRecord draft,
      Instant now,
      int days)
      throws IOException, DataPactException {
    long started = System.nanoTime();
    Instant from = now.minus(Duration.ofDays(days));
    EntryCodec codec = new EntryCodec(mapper);
    PolicySnapshot before = current;
    PolicySnapshot after = withDraft(current, draft, from);
    AtomicLong erased = new AtomicLong();
    AtomicLong replayed = new AtomicLong();
    AtomicLong changed = new AtomicLong();
    Map<String, long[]> byUse = new ConcurrentHashMap<>();
    Set<Long> users = ConcurrentHashMap.newKeySet();
    List<Change> changes = java.util.Collections.synchronizedList(new ArrayList<>());
    // entries are read in chunks; each chunk is decoded, opened and decided on all cores
    List<byte[]> chunk = new ArrayList<>(CHUNK);
    long[] first = {0};
    try (LogReader log = LogReader.open(ledgerDir.resolve("log"))) {
      log.forEach(
          log.size(),
          (i, bytes) -> {
            if (chunk.isEmpty()) {
              first[0] = i;
            }
            chunk.add(bytes);
            if (chunk.size() == CHUNK) {
              replayChunk(
                  chunk, first[0], codec, mapper, keys, from, before, after, erased, replayed,
                  changed, byUse, users, changes);
              chunk.clear();
            }
          });
      replayChunk(
          chunk, first[0], codec, mapper, keys, from, before, after, erased, replayed, changed,
          byUse, users, changes);
    }
    List<ByUse> uses = new ArrayList<>();
    new TreeMap<>(byUse)
        .forEach(
            (key, c) -> {
              int bar = key.indexOf('|');
              uses.add(new ByUse(key.substring(0, bar), key.substring(bar + 1), c[0], c[1]));
            });
    List<Change> examples = new ArrayList<>(changes);
    examples.sort(java.util.Comparator.comparingLong(Change::index).reversed());
    return new Result(
        draft.terms().ref(),
        days,
        replayed.get(),
        changed.get(),
        users.size(),
        erased.get(),
        uses,
        List.copyOf(examples.subList(0, Math.min(10, examples.size()))),
        (System.nanoTime() - started) / 1e9);
  }

  /** Entries decoded and decided together. */
  private static final int CHUNK = 8192;

  private static void replayChunk(
      List<byte[]> chunk,
      long firstIndex,
      EntryCodec codec,
      ObjectMapper mapper,
      SubjectKeys keys,
      Instant from,
      PolicySnapshot before,
      PolicySnapshot after,
      AtomicLong erased,
      AtomicLong replayed,
      AtomicLong changed,
      Map<String, long[]> byUse,
      Set<Long> users,
      List<Change> changes)
      throws IOException {
    IOException[] failure = {null};
    IntStream.range(0, chunk.size())
        .parallel()
        .forEach(
            k -> {
              try {
                Item it = item(firstIndex + k, chunk.get(k), codec, mapper, keys, from, erased);
                if (it == null) {
                  return;
                }
                replayed.incrementAndGet();
                DecisionRequest r = it.entry().request(it.user());
                boolean was = before.allows(r);
                boolean will = after.allows(r);
                if (was == will) {
                  return;
                }
                changed.incrementAndGet();
                if (it.user() != null) {
                  users.add(it.user().value());
                }
                long[] c =
                    byUse.computeIfAbsent(
                        it.entry().scope().wire() + "|" + it.entry().purpose().wire(),
                        x -> new long[2]);
                synchronized (c) {
                  c[was ? 0 : 1]++;
                }
                changes.add(
                    new Change(
                        it.index(),
                        it.entry().principal().value(),
                        it.entry().scope().wire(),
                        it.entry().purpose().wire(),
                        it.entry().at().toString(),
                        was ? "allow" : "deny",
                        will ? "allow" : "deny"));
              } catch (IOException e) {
                synchronized (failure) {
                  failure[0] = e;
                }
              }
            });
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  /**
   * @return the decision entry at {@code index} with its subject's user id, or null when it is no
   *     decision in the window (or a what-if, or its subject was erased: then counted)
   */
  private static @Nullable Item item(
      long index,
      byte[] bytes,
      EntryCodec codec,
      ObjectMapper mapper,
      SubjectKeys keys,
      Instant from,
      AtomicLong erased)
      throws IOException {
    LedgerEntry e = codec.decode(bytes);
    if (!(e instanceof LedgerEntry.DecisionEntry d) || d.whatIf() || d.at().isBefore(from)) {
      return null;
    }
    UserId user = null;
    if (d.subject() != null) {
      Optional<LedgerEntries.Personal> p =
          LedgerEntries.open(mapper, keys, d.subject(), d.personal());
      if (p.isEmpty()) {
        erased.incrementAndGet();
        return null;
      }
      user = UserId.of(p.get().user());
    }
    return new Item(index, d, user);
  }
}
