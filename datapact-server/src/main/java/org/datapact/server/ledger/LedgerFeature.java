package org.datapact.server.ledger;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.ledger.checkpoint.Checkpoint;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.server.ServerContext;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;

/**
 * The ledger's public views: the latest signed checkpoint (JSON and the C2SP note), the public
 * key, and inclusion and consistency proofs. Anyone may read them — they reveal hashes, never
 * entries — so a user or a regulator can check the log without trusting the operator.
 */
public final class LedgerFeature implements Feature {
  private final ServerContext context;

  /** @param context the server's shared parts */
  public LedgerFeature(ServerContext context) {
    this.context = context;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/ledger/checkpoint", this::checkpoint, Role.PUBLIC),
        Route.get("/api/v1/ledger/public-key", this::publicKey, Role.PUBLIC),
        Route.get("/api/v1/ledger/proofs/inclusion", this::inclusion, Role.PUBLIC),
        Route.get("/api/v1/ledger/proofs/consistency", this::consistency, Role.PUBLIC));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private void checkpoint(Context ctx) throws DataPactException {
    LedgerService ledger = context.ledger();
    String note;
    try {
      note = ledger.checkpoint();
    } catch (IOException e) {
      throw new DataPactException(ErrorKind.UNAVAILABLE, "cannot sign a checkpoint: " + e.getMessage(), e);
    }
    Checkpoint c = Notes.verify(note, ledger.keys().name(), ledger.keys().rawPublicKey());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("origin", c.origin());
    m.put("size", c.size());
    m.put("rootHash", b64(c.rootHash()));
    m.put("timestamp", c.timestamp().toString());
    m.put("keyName", ledger.keys().name());
    m.put("note", note);
    ctx.json(m);
  }

  private void publicKey(Context ctx) {
    SigningKeysView v = new SigningKeysView(context.ledger().keys().name(), b64(context.ledger().keys().rawPublicKey()),
        context.ledger().keys().verifierKey());
    ctx.json(v);
  }

  /** The public key's wire form. */
  record SigningKeysView(String name, String publicKey, String verifierKey) {}

  private static long param(Context ctx, String name) throws DataPactException {
    String v = ctx.queryParam(name);
    if (v == null) {
      throw DataPactException.invalid("query parameter `" + name + "` is required");
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw DataPactException.invalid("query parameter `" + name + "` must be a non-negative number, got `" + v + "`");
    }
  }

  private void inclusion(Context ctx) throws DataPactException {
    long index = param(ctx, "index");
    long size = param(ctx, "size");
    long have = context.ledger().log().size();
    if (size == 0 || size > have || index >= size) {
      throw DataPactException.invalid("need `index` < `size` <= " + have + " (the log's size); got index " + index
          + ", size " + size);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", index);
    m.put("size", size);
    m.put("leafHash", b64(context.ledger().log().hash(index, index + 1)));
    m.put("auditPath", context.ledger().log().inclusionProof(index, size).stream().map(LedgerFeature::b64).toList());
    ctx.json(m);
  }

  private void consistency(Context ctx) throws DataPactException {
    long first = param(ctx, "first");
    long second = param(ctx, "second");
    long have = context.ledger().log().size();
    if (first > second || second > have) {
      throw DataPactException.invalid("need `first` <= `second` <= " + have + " (the log's size); got " + first + ", " + second);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("first", first);
    m.put("second", second);
    m.put("firstRoot", b64(context.ledger().log().root(first)));
    m.put("secondRoot", b64(context.ledger().log().root(second)));
    m.put("proof", context.ledger().log().consistencyProof(first, second).stream().map(LedgerFeature::b64).toList());
    ctx.json(m);
  }
}
