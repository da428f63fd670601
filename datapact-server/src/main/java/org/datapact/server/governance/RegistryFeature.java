package org.datapact.server.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.party.Party;
import org.datapact.core.party.PartyId;
import org.datapact.core.party.PartyKind;
import org.datapact.core.security.Secret;
import org.datapact.core.security.SecretHash;
import org.datapact.core.security.SecretHasher;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.session.Caller;
import org.datapact.store.party.PartyRepository;
import org.datapact.store.party.Registry;
import org.jspecify.annotations.Nullable;

/**
 * The partner registry: operators register partners and internal units, and issue, rotate and
 * retire their OAuth clients; the regulator reads it. A client's secret is shown once, in the
 * answer that made it, and only its KDF hash is kept. Every change is a ledgered {@code governance}
 * entry first, then the store; rotating or retiring a client ends the tokens it was issued at once,
 * and a registered party is known to the decision point from the next decision on (the ledger's
 * party list follows, so replays know it too).
 */
public final class RegistryFeature implements Feature {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ServerContext context;
  private final Registry registry;
  private final PartyRepository parties;
  private final SecretHasher hasher;

  /**
   * @param context the server's shared parts
   */
  public RegistryFeature(ServerContext context) {
    this(context, new SecretHasher());
  }

  /**
   * @param hasher the KDF of new secrets
   */
  public RegistryFeature(ServerContext context, SecretHasher hasher) {
    this.context = context;
    this.registry = new Registry(context.db());
    this.parties = new PartyRepository(context.db());
    this.hasher = hasher;
  }

  @Override
  public List<Route> routes() {
    String clients = "/api/v1/parties/{party}/clients";
    return List.of(
        Route.get("/api/v1/parties", this::list, Role.OPERATOR, Role.REGULATOR),
        Route.post("/api/v1/parties", this::register, Role.OPERATOR),
        Route.post(clients, this::issue, Role.OPERATOR),
        Route.post(clients + "/{client}/rotate", this::rotate, Role.OPERATOR),
        Route.post(clients + "/{client}/retire", this::retire, Role.OPERATOR));
  }

  /** A client on the wire: never its secret. */
  record ClientAnswer(
      String clientId,
      String status,
      @Nullable String issuedAt,
      @Nullable String rotatedAt,
      @Nullable String retiredAt) {
    static ClientAnswer of(Registry.Client c) {
      return new ClientAnswer(
          c.clientId(),
          c.retiredAt() == null ? "live" : "retired",
          text(c.issuedAt()),
          text(c.rotatedAt()),
          text(c.retiredAt()));
    }
  }

  /** A party with its clients. */
  record PartyAnswer(
      String id, String kind, String displayName, String description, List<ClientAnswer> clients) {}

  /** A secret made now, shown this once. */
  record SecretAnswer(
      String party, String clientId, String clientSecret, String note, long ledgerIndex) {}

  private static @Nullable String text(@Nullable Instant t) {
    return t == null ? null : t.toString();
  }

  private void list(Context ctx) throws DataPactException {
    AccessControl.requireCaller(ctx);
    List<PartyAnswer> out = new ArrayList<>();
    for (Party p : parties.all()) {
      if (p.kind() == PartyKind.PLATFORM) {
        continue;
      }
      out.add(
          new PartyAnswer(
              p.id().value(),
              p.kind().name().toLowerCase(Locale.ROOT),
              p.displayName(),
              p.description(),
              registry.clients(p.id()).stream().map(ClientAnswer::of).toList()));
    }
    ctx.json(out);
  }

  private void register(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    JsonNode b = Json.body(ctx, context.mapper(), JsonNode.class);
    PartyId id;
    try {
      id = PartyId.of(field(b, "id", 32));
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid("`id`: a lowercase slug such as `tunely`");
    }
    String kindText = field(b, "kind", 16);
    PartyKind kind =
        switch (kindText) {
          case "partner" -> PartyKind.PARTNER;
          case "unit" -> PartyKind.UNIT;
          default ->
              throw DataPactException.invalid(
                  "`kind`: `partner` or `unit`, got `" + kindText + "`");
        };
    Party party =
        new Party(id, kind, field(b, "displayName", 128), optional(b, "description", 512));
    Instant now = context.clock().instant();
    synchronized (context.decisions()) {
      if (parties.find(id).isPresent()) {
        throw new DataPactException(
            ErrorKind.CONFLICT, "`id`: a party `" + id + "` is registered already");
      }
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("party", id.value());
      detail.put("kind", kindText);
      detail.put("displayName", party.displayName());
      long index = context.audit().governance(now, "party_registered", caller.actor(), detail);
      registry.register(party, caller.actor(), now, index);
      context.audit().registerParty(context.decisions(), id, kind);
      context.feed().publish("party", id.value() + "|" + kind.wireName());
    }
    ctx.status(201);
    ctx.json(
        new PartyAnswer(id.value(), kindText, party.displayName(), party.description(), List.of()));
  }

  private void issue(Context ctx) throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    Party party = party(ctx);
    String clientId = newClientId(party.id());
    Secret secret = newSecret();
    SecretHash hash = hasher.hash(secret);
    Instant now = context.clock().instant();
    long index;
    synchronized (context.decisions()) {
      index =
          context
              .audit()
              .governance(now, "client_issued", caller.actor(), detail(party.id(), clientId));
      registry.issue(clientId, party.id(), hash, caller.actor(), now, index);
    }
    ctx.status(201);
    ctx.header("Cache-Control", "no-store");
    ctx.json(answer(party.id(), clientId, secret, index));
  }

  /** A change to one live client, recorded in the store with its ledger index. */
  @FunctionalInterface
  private interface ClientChange {
    void apply(String clientId, String by, Instant at, long ledgerIndex) throws DataPactException;
  }

  /**
   * Changes a live client of the path's party: under the lock, the client checked live, the ledger
   * entry, the store, then every token the client holds revoked.
   *
   * @return the ledger index
   */
  private long changeClient(Context ctx, String action, ClientChange change)
      throws DataPactException {
    Caller caller = AccessControl.requireCaller(ctx);
    PartyId party = party(ctx).id();
    String clientId = client(ctx, party);
    Instant now = context.clock().instant();
    synchronized (context.decisions()) {
      client(ctx, party); // still live under the lock
      long index = context.audit().governance(now, action, caller.actor(), detail(party, clientId));
      change.apply(clientId, caller.actor(), now, index);
      context.accessTokens().revokeClient(clientId);
      context.feed().publish("client", clientId); // and on every other node
      return index;
    }
  }

  private void rotate(Context ctx) throws DataPactException {
    Secret secret = newSecret();
    SecretHash hash = hasher.hash(secret);
    long index =
        changeClient(
            ctx,
            "client_rotated",
            (clientId, by, at, i) -> registry.rotate(clientId, hash, by, at, i));
    ctx.header("Cache-Control", "no-store");
    ctx.json(answer(PartyId.of(ctx.pathParam("party")), ctx.pathParam("client"), secret, index));
  }

  private void retire(Context ctx) throws DataPactException {
    changeClient(ctx, "client_retired", registry::retire);
    String clientId = ctx.pathParam("client");
    ctx.json(
        registry.clients(PartyId.of(ctx.pathParam("party"))).stream()
            .filter(c -> c.clientId().equals(clientId))
            .map(ClientAnswer::of)
            .findFirst()
            .orElseThrow());
  }

  private static SecretAnswer answer(PartyId party, String clientId, Secret secret, long index) {
    return new SecretAnswer(
        party.value(),
        clientId,
        secret.revealForHashingOrDisplayOnce(),
        "shown once: DataPact keeps only its hash; rotate the client if it is lost",
        index);
  }

  private static Map<String, String> detail(PartyId party, String clientId) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("party", party.value());
    d.put("client", clientId);
    return d;
  }

  /**
   * @return a new client id for {@code party}: its id and eight random base-36 characters
   */
  public static String newClientId(PartyId party) {
    StringBuilder sb = new StringBuilder(party.value()).append('-');
    for (int i = 0; i < 8; i++) {
      sb.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return sb.toString();
  }

  /**
   * @return a new client secret: 32 random bytes, base64url
   */
  public static Secret newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Secret.of("dps_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  private Party party(Context ctx) throws DataPactException {
    String raw = ctx.pathParam("party");
    PartyId id;
    try {
      id = PartyId.of(raw);
    } catch (IllegalArgumentException e) {
      throw new DataPactException(ErrorKind.NOT_FOUND, "no party `" + raw + "`");
    }
    Party p =
        parties
            .find(id)
            .orElseThrow(
                () -> new DataPactException(ErrorKind.NOT_FOUND, "no party `" + raw + "`"));
    if (p.kind() == PartyKind.PLATFORM) {
      throw DataPactException.invalid("the platform has no API clients");
    }
    return p;
  }

  /**
   * @return the path's client, live and the path party's
   */
  private String client(Context ctx, PartyId party) throws DataPactException {
    String clientId = ctx.pathParam("client");
    if (!registry.partyOfLiveClient(clientId).equals(party)) {
      throw new DataPactException(
          ErrorKind.NOT_FOUND, "no live client `" + clientId + "` of `" + party + "`");
    }
    return clientId;
  }

  private static String field(JsonNode b, String name, int max) throws DataPactException {
    JsonNode v = b.get(name);
    if (v == null || !v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
      throw DataPactException.invalid("`" + name + "` is required: 1 to " + max + " characters");
    }
    return v.asText().strip();
  }

  private static String optional(JsonNode b, String name, int max) throws DataPactException {
    JsonNode v = b.get(name);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual() || v.asText().length() > max) {
      throw DataPactException.invalid("`" + name + "`: text of at most " + max + " characters");
    }
    return v.asText().strip();
  }
}
