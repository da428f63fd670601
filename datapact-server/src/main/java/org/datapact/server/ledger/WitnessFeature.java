package org.datapact.server.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.ledger.checkpoint.Checkpoint;
import org.datapact.ledger.checkpoint.Cosignatures;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.server.ServerContext;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.jspecify.annotations.Nullable;

/**
 * Independent witnesses and the cosigned checkpoint. A witness ({@code datapact witness}, run by
 * anyone with the log's public key and URL) posts its cosignature of a checkpoint; it is accepted
 * when the witness is one the operator listed in {@code <ledger>/witnesses} (one cosignature
 * verifier key per line), the checkpoint is this log's own — signed by its key, with the root the
 * log has at that size — and the cosignature verifies. The cosigned checkpoint served is the newest
 * checkpoint with the most cosignatures, in C2SP form: the note with the log's signature and each
 * witness's line, which a reader checks against the witnesses it trusts, requiring a quorum.
 */
public final class WitnessFeature implements Feature {
  private final ServerContext context;

  /** Each witness's latest accepted cosignature: the checkpoint body and the line. */
  private final Map<String, Cosigned> latest = new ConcurrentHashMap<>();

  private record Cosigned(Checkpoint checkpoint, String body, String line) {}

  /**
   * @param context the server's shared parts
   */
  public WitnessFeature(ServerContext context) {
    this.context = context;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/ledger/witnesses", this::witnesses, Role.PUBLIC),
        Route.post("/api/v1/ledger/cosignatures", this::cosign, Role.PUBLIC),
        Route.get("/api/v1/ledger/checkpoint/cosigned", this::cosigned, Role.PUBLIC));
  }

  /**
   * @return the file listing the witnesses the operator accepts
   */
  public static Path witnessesFile(Path ledgerDir) {
    return ledgerDir.resolve("witnesses");
  }

  private Map<String, Notes.VerifierKey> known() throws DataPactException {
    Path file = witnessesFile(context.ledger().directory());
    Map<String, Notes.VerifierKey> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        var key = Cosignatures.parseVerifierKey(line);
        out.put(key.name(), key);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new DataPactException(
          ErrorKind.UNAVAILABLE,
          "the witness list `" + file + "` cannot be read: " + e.getMessage(),
          e);
    }
    return out;
  }

  /** A listed witness on the wire, with the latest checkpoint it cosigned. */
  record WitnessAnswer(
      String name, String verifierKey, @Nullable Long cosignedSize, @Nullable String cosignedAt) {}

  /** An accepted cosignature. */
  record Accepted(boolean accepted, String witness, long size) {}

  /** The cosigned checkpoint on the wire. */
  record CosignedAnswer(long size, String timestamp, List<String> witnesses, String note) {}

  private void witnesses(Context ctx) throws DataPactException {
    List<WitnessAnswer> out = new ArrayList<>();
    for (var k : known().values()) {
      Cosigned c = latest.get(k.name());
      out.add(
          new WitnessAnswer(
              k.name(),
              Cosignatures.verifierKey(k.name(), k.rawPublicKey()),
              c == null ? null : c.checkpoint().size(),
              c == null ? null : c.checkpoint().timestamp().toString()));
    }
    ctx.json(out);
  }

  private void cosign(Context ctx) throws DataPactException {
    JsonNode b = Json.body(ctx, context.mapper(), JsonNode.class);
    String note = b.path("note").asText("");
    String line = b.path("cosignature").asText("");
    if (note.isEmpty() || line.isEmpty() || !line.endsWith("\n")) {
      throw DataPactException.invalid(
          "`note` (the checkpoint as served) and `cosignature` (one signature line ending with a"
              + " newline) are required");
    }
    var ledger = context.ledger();
    Checkpoint c;
    try {
      c = Notes.verify(note, ledger.keys().name(), ledger.keys().rawPublicKey());
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid("not a checkpoint of this log: " + e.getMessage());
    }
    if (c.size() > ledger.log().size()
        || !java.util.Arrays.equals(c.rootHash(), ledger.log().root(c.size()))) {
      throw DataPactException.invalid("not a checkpoint of this log: its root is not the log's");
    }
    String name =
        line.startsWith("\u2014 ") ? line.substring(2, Math.max(2, line.indexOf(' ', 2))) : "";
    Notes.VerifierKey key = known().get(name);
    if (key == null) {
      throw new DataPactException(
          ErrorKind.FORBIDDEN, "`" + name + "` is not a witness this log's operator lists");
    }
    String body = Cosignatures.body(note);
    try {
      if (Cosignatures.verify(body + "\n" + line, name, key.rawPublicKey()).isEmpty()) {
        throw DataPactException.invalid("the cosignature is not `" + name + "`'s key");
      }
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
    latest.merge(
        name,
        new Cosigned(c, body, line),
        (old, now) -> now.checkpoint().size() >= old.checkpoint().size() ? now : old);
    ctx.status(202).json(new Accepted(true, name, c.size()));
  }

  private void cosigned(Context ctx) throws DataPactException {
    // the newest checkpoint with the most cosignatures among the known witnesses'
    var known = known();
    Map<String, List<Cosigned>> byBody = new LinkedHashMap<>();
    for (var e : latest.entrySet()) {
      if (known.containsKey(e.getKey())) {
        byBody.computeIfAbsent(e.getValue().body(), k -> new ArrayList<>()).add(e.getValue());
      }
    }
    List<Cosigned> best = null;
    for (var group : byBody.values()) {
      if (best == null
          || group.size() > best.size()
          || (group.size() == best.size()
              && group.get(0).checkpoint().size() > best.get(0).checkpoint().size())) {
        best = group;
      }
    }
    if (best == null) {
      throw DataPactException.notFound("no witness has cosigned a checkpoint of this log yet");
    }
    var ledger = context.ledger();
    Checkpoint c = best.get(0).checkpoint();
    String signed =
        Notes.sign(
            c,
            ledger.keys().name(),
            ledger.keys().pair().getPrivate(),
            ledger.keys().pair().getPublic());
    StringBuilder note = new StringBuilder(signed);
    List<String> names = new ArrayList<>();
    for (Cosigned w : best) {
      note.append(w.line());
      names.add(w.line().substring(2, w.line().indexOf(' ', 2)));
    }
    ctx.json(new CosignedAnswer(c.size(), c.timestamp().toString(), names, note.toString()));
  }
}
