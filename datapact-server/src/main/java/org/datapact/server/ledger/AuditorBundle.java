package org.datapact.server.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.agreement.ReportPeriod;
import org.datapact.ledger.checkpoint.Checkpoint;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.log.LogReader;
import org.datapact.ledger.merkle.Hashes;
import org.datapact.ledger.merkle.Proofs;

/**
 * The auditor's bundle of a period: the log's signed checkpoint, every agreement version the log
 * holds and every governance entry of the period (approvals, recusals, reports filed, registry
 * changes, transparency releases), each with its inclusion proof to that checkpoint, and the
 * period's aggregate tables counted from the log ({@link LedgerActivity}). The content is one JSON
 * text signed with the log's key under its own domain ({@value #FORMAT}), so an auditor checks it
 * offline with only the log's public key: {@code datapact ledger verify --bundle FILE}.
 */
public final class AuditorBundle {
  /** The bundle's format, and the signature's domain. */
  public static final String FORMAT = "datapact-auditor-bundle/v1";

  private static final byte[] AGREEMENT =
      "{\"type\":\"agreement\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] GOVERNANCE =
      "{\"type\":\"governance\"".getBytes(StandardCharsets.UTF_8);

  private AuditorBundle() {}

  /**
   * Builds the bundle of {@code period} over the log as its latest signed checkpoint covers it.
   *
   * @throws DataPactException unavailable when the log cannot be read
   */
  public static ObjectNode build(
      LedgerService ledger,
      LedgerActivity.Activity activity,
      ReportPeriod period,
      String by,
      Instant now,
      ObjectMapper mapper)
      throws DataPactException {
    try {
      String note = ledger.checkpoint();
      Checkpoint c = Notes.verify(note, ledger.keys().name(), ledger.keys().rawPublicKey());
      ObjectNode content = mapper.createObjectNode();
      content.put("format", FORMAT);
      content.put("period", period.toString());
      content.put("from", period.from().toString());
      content.put("until", period.until().toString());
      content.put("createdAt", now.toString());
      content.put("createdBy", by);
      content.put("origin", c.origin());
      content.put("verifierKey", ledger.keys().verifierKey());
      content.put("checkpoint", note);
      ArrayNode agreements = content.putArray("agreements");
      ArrayNode governance = content.putArray("governance");
      String lo = period.from().toString();
      String hi = period.until().toString();
      try (LogReader log = LogReader.open(ledger.directory().resolve("log"))) {
        log.forEach(
            Math.min(c.size(), log.size()),
            (i, e) -> {
              boolean agreement = LedgerEntries.hasPrefix(e, AGREEMENT);
              if (!agreement && !LedgerEntries.hasPrefix(e, GOVERNANCE)) {
                return;
              }
              if (!agreement) {
                String at = mapper.readTree(e).path("at").asText("");
                if (at.compareTo(lo) < 0 || at.compareTo(hi) >= 0) {
                  return;
                }
              }
              ObjectNode p = (agreement ? agreements : governance).addObject();
              p.put("index", i);
              p.put("entry", Base64.getEncoder().encodeToString(e));
              ArrayNode path = p.putArray("auditPath");
              for (byte[] h : ledger.log().inclusionProof(i, c.size())) {
                path.add(Base64.getEncoder().encodeToString(h));
              }
            });
      }
      ObjectNode tables = content.putObject("tables");
      tables.set("releases", rows(mapper, activity.releases(), period));
      tables.set("denials", rows(mapper, activity.denials(), period));
      tables.set("consents", rows(mapper, activity.consents(), period));
      tables.set("governance", rows(mapper, activity.governance(), period));
      String text = mapper.writeValueAsString(content);
      ObjectNode bundle = mapper.createObjectNode();
      bundle.put("format", FORMAT);
      bundle.put("content", text);
      bundle.put("keyName", ledger.keys().name());
      bundle.put("signature", sign(ledger, text));
      return bundle;
    } catch (IOException | IllegalArgumentException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE, "cannot build the auditor bundle: " + e.getMessage(), e);
    }
  }

  private static ArrayNode rows(
      ObjectMapper mapper, List<LedgerActivity.Row> rows, ReportPeriod period) {
    String from = period.from().toString().substring(0, 7);
    String until = period.until().toString().substring(0, 7);
    ArrayNode out = mapper.createArrayNode();
    for (LedgerActivity.Row r : rows) {
      String month = r.keys().get(0);
      if (month.compareTo(from) >= 0 && month.compareTo(until) < 0) {
        ArrayNode row = out.addArray();
        r.keys().forEach(row::add);
        row.add(r.count());
      }
    }
    return out;
  }

  private static byte[] message(String content) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return (FORMAT + "\n" + HexFormat.of().formatHex(digest) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }

  private static String sign(LedgerService ledger, String content) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(ledger.keys().pair().getPrivate());
      s.update(message(content));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the bundle", e);
    }
  }

  /** What verifying a bundle found. */
  public record Verified(
      boolean ok,
      String message,
      String period,
      long checkpointSize,
      int agreements,
      int governance,
      int tableRows) {}

  /**
   * Verifies a bundle offline with the log's public key: its signature, the checkpoint's signature,
   * every entry's inclusion proof to the checkpoint, and that the governance entries lie in the
   * period.
   */
  public static Verified verify(JsonNode bundle, Notes.VerifierKey key, ObjectMapper mapper) {
    String content = bundle.path("content").asText("");
    if (!FORMAT.equals(bundle.path("format").asText()) || content.isEmpty()) {
      return fail("not a " + FORMAT + " bundle");
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(Notes.publicKey(key.rawPublicKey()));
      s.update(message(content));
      if (!s.verify(Base64.getDecoder().decode(bundle.path("signature").asText("")))) {
        return fail("the bundle's signature does not verify under " + key.name());
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return fail("the bundle's signature cannot be checked: " + e.getMessage());
    }
    JsonNode c;
    Checkpoint cp;
    try {
      c = mapper.readTree(content);
      cp = Notes.verify(c.path("checkpoint").asText(""), key.name(), key.rawPublicKey());
    } catch (IOException | IllegalArgumentException e) {
      return fail("the bundle's checkpoint does not verify: " + e.getMessage());
    }
    String from = c.path("from").asText();
    String until = c.path("until").asText();
    List<String> problems = new ArrayList<>();
    int[] counts = new int[2];
    String[] kinds = {"agreements", "governance"};
    for (int k = 0; k < 2; k++) {
      for (JsonNode p : c.path(kinds[k])) {
        long index = p.path("index").asLong(-1);
        byte[] entry = Base64.getDecoder().decode(p.path("entry").asText(""));
        List<byte[]> path = new ArrayList<>();
        p.path("auditPath").forEach(h -> path.add(Base64.getDecoder().decode(h.asText())));
        if (!Proofs.verifyInclusion(Hashes.leaf(entry), index, cp.size(), path, cp.rootHash())) {
          problems.add("entry " + index + " is not in the log the checkpoint signs");
          continue;
        }
        try {
          JsonNode e = mapper.readTree(entry);
          String type = e.path("type").asText();
          if (!type.equals(k == 0 ? "agreement" : "governance")) {
            problems.add("entry " + index + " is a `" + type + "` entry, listed as " + kinds[k]);
          } else if (k == 1) {
            String at = e.path("at").asText("");
            if (at.compareTo(from) < 0 || at.compareTo(until) >= 0) {
              problems.add("governance entry " + index + " (" + at + ") lies outside the period");
            }
          }
        } catch (IOException e) {
          problems.add("entry " + index + " is not JSON");
        }
        counts[k]++;
      }
    }
    int rows = 0;
    for (JsonNode t : c.path("tables")) {
      rows += t.size();
    }
    if (!problems.isEmpty()) {
      return new Verified(
          false,
          "the bundle does NOT verify: " + String.join("; ", problems),
          c.path("period").asText(),
          cp.size(),
          counts[0],
          counts[1],
          rows);
    }
    return new Verified(
        true,
        "the bundle of "
            + c.path("period").asText()
            + " verifies: signed by "
            + key.name()
            + "; checkpoint of "
            + cp.size()
            + " entries ("
            + cp.timestamp()
            + "); "
            + counts[0]
            + " agreement versions and "
            + counts[1]
            + " governance entries proven in the log; "
            + rows
            + " table rows signed",
        c.path("period").asText(),
        cp.size(),
        counts[0],
        counts[1],
        rows);
  }

  private static Verified fail(String why) {
    return new Verified(false, "the bundle does NOT verify: " + why, "", 0, 0, 0, 0);
  }
}
