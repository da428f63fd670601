package org.datapact.server.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.log.LogFormat;
import org.datapact.ledger.log.LogReader;
import org.datapact.ledger.verify.LedgerVerifier;

/**
 * Reconciles what partners were given against every ledger shard, offline: each shard directory is
 * verified with its own public key (from the shard list, {@code GET /api/v1/ledger/shards}), then
 * every receipt a partner kept — the {@code X-DataPact-Ledger-Shard}, {@code
 * X-DataPact-Ledger-Index} and {@code X-DataPact-Decision-Id} of a response — must name an entry of
 * that shard that carries that decision id. A receipt with no entry is a release without a ledger
 * entry, or an acknowledged entry lost: either fails the reconciliation.
 */
public final class ShardReconciliation {
  private ShardReconciliation() {}

  /** How many problems the result names one by one (the rest are counted). */
  static final int NAMED = 20;

  /**
   * A receipt as a partner keeps it.
   *
   * @param shard the origin of the shard it names
   * @param index the entry's index there
   * @param decisionId the decision id the response carried
   */
  public record Receipt(String shard, long index, String decisionId) {}

  /**
   * One shard's verification.
   *
   * @param origin the shard's origin line
   * @param directory where it was read
   * @param verified what {@link LedgerVerifier} found
   */
  public record ShardResult(String origin, String directory, LedgerVerifier.Result verified) {}

  /**
   * The outcome.
   *
   * @param ok every shard verified and every receipt has its entry
   * @param shards each shard's verification
   * @param receipts how many receipts were checked
   * @param problems the first {@link #NAMED} problems
   * @param problemCount how many there were
   * @param message one line for people
   */
  public record Result(
      boolean ok,
      List<ShardResult> shards,
      long receipts,
      List<String> problems,
      long problemCount,
      String message) {}

  /**
   * @return the verifier keys by origin of a shard list ({@code GET /api/v1/ledger/shards})
   * @throws IllegalArgumentException when it is not one
   */
  public static Map<String, String> keysOf(JsonNode shardList) {
    JsonNode shards = shardList.path("shards");
    if (!shards.isArray()) {
      throw new IllegalArgumentException(
          "not a shard list: expected {\"shards\":[...]} as GET /api/v1/ledger/shards answers");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode s : shards) {
      String origin = s.path("origin").asText("");
      String key = s.path("verifierKey").asText("");
      if (origin.isEmpty() || key.isEmpty()) {
        throw new IllegalArgumentException("a shard without `origin` or `verifierKey`: " + s);
      }
      out.put(origin, key);
    }
    return out;
  }

  /**
   * Reads receipts as CSV lines {@code shard,index,decisionId} (a header line naming {@code shard}
   * is skipped; blank lines too).
   *
   * @throws IllegalArgumentException naming the first bad line
   */
  public static List<Receipt> parseCsv(String text) {
    List<Receipt> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || (i == 0 && line.startsWith("shard,"))) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 3) {
        throw new IllegalArgumentException(
            "receipts line " + (i + 1) + ": expected shard,index,decisionId, got `" + line + "`");
      }
      long index;
      try {
        index = Long.parseLong(f[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "receipts line " + (i + 1) + ": index `" + f[1] + "` is not a number");
      }
      out.add(new Receipt(f[0].strip(), index, f[2].strip()));
    }
    return out;
  }

  /**
   * @return the origin named by the first checkpoint in the ledger (or log) directory {@code dir},
   *     or null when it holds none yet
   */
  static @org.jspecify.annotations.Nullable String originOf(Path logDir) throws IOException {
    Path file = logDir.resolve(LogFormat.CHECKPOINTS);
    if (!Files.exists(file)) {
      return null;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] note = ch.size() == 0 ? null : LogFormat.readRecord(ch, 0);
      if (note == null) {
        return null;
      }
      String text = new String(note, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      return nl < 0 ? null : text.substring(0, nl);
    }
  }

  /**
   * Verifies every shard directory and checks every receipt against its shard.
   *
   * @param keys the verifier keys by origin (every shard there is)
   * @param directories the shards' ledger directories (holding {@code log/}) or log directories
   */
  public static Result reconcile(
      Map<String, String> keys, List<Path> directories, List<Receipt> receipts, ObjectMapper mapper)
      throws IOException {
    List<String> problems = new ArrayList<>();
    long[] problemCount = {0};
    java.util.function.Consumer<String> problem =
        p -> {
          if (problems.size() < NAMED) {
            problems.add(p);
          }
          problemCount[0]++;
        };
    List<ShardResult> results = new ArrayList<>();
    Map<String, Path> logs = new LinkedHashMap<>();
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (Path dir : directories) {
      Path log = Files.isDirectory(dir.resolve("log")) ? dir.resolve("log") : dir;
      String origin = originOf(log);
      if (origin == null) {
        problem.accept(
            "`" + dir + "` holds no signed checkpoint: which shard it is cannot be told");
        continue;
      }
      String key = keys.get(origin);
      if (key == null) {
        problem.accept("`" + dir + "` is shard " + origin + ", which the shard list does not name");
        continue;
      }
      if (logs.containsKey(origin)) {
        problem.accept("shard " + origin + " was given twice");
        continue;
      }
      Notes.VerifierKey vk = Notes.parseVerifierKey(key);
      LedgerVerifier.Result r = LedgerVerifier.verify(log, vk.name(), vk.rawPublicKey());
      results.add(new ShardResult(origin, dir.toString(), r));
      if (!r.ok()) {
        problem.accept("shard " + origin + ": " + r.message());
      }
      logs.put(origin, log);
      sizes.put(origin, r.entries());
    }
    for (String origin : keys.keySet()) {
      if (!logs.containsKey(origin)
          && receipts.stream().anyMatch(rc -> rc.shard().equals(origin))) {
        problem.accept("shard " + origin + " is named by receipts but its directory was not given");
      }
    }
    Map<String, LogReader> readers = new LinkedHashMap<>();
    try {
      for (Receipt rc : receipts) {
        Path log = logs.get(rc.shard());
        if (log == null) {
          if (!keys.containsKey(rc.shard())) {
            problem.accept("receipt " + rc + " names a shard the shard list does not know");
          }
          continue;
        }
        long size = sizes.getOrDefault(rc.shard(), 0L);
        if (rc.index() < 0 || rc.index() >= size) {
          problem.accept(
              "receipt "
                  + rc.decisionId()
                  + ": shard "
                  + rc.shard()
                  + " has no entry "
                  + rc.index()
                  + " (it holds "
                  + size
                  + "): released without a durable entry, or the entry was lost");
          continue;
        }
        LogReader reader = readers.get(rc.shard());
        if (reader == null) {
          reader = LogReader.open(log);
          readers.put(rc.shard(), reader);
        }
        JsonNode entry = LedgerEntries.parse(mapper, reader.entry(rc.index()));
        String id = entry.path("decisionId").asText("");
        if (!id.equals(rc.decisionId())) {
          problem.accept(
              "receipt "
                  + rc.decisionId()
                  + ": entry "
                  + rc.index()
                  + " of shard "
                  + rc.shard()
                  + " is decision `"
                  + id
                  + "`");
        }
      }
    } finally {
      for (LogReader r : readers.values()) {
        r.close();
      }
    }
    boolean ok = problemCount[0] == 0 && !results.isEmpty();
    String message =
        ok
            ? "reconciled "
                + receipts.size()
                + " receipts against "
                + results.size()
                + " shards: every shard verifies and every receipt has its entry"
            : "reconciliation FAILED: "
                + (results.isEmpty() && problemCount[0] == 0
                    ? "no shard was given"
                    : problemCount[0] + " problems, first: " + problems.get(0));
    return new Result(ok, results, receipts.size(), problems, problemCount[0], message);
  }
}
