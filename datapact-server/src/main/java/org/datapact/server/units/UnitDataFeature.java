package org.datapact.server.units;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.datapact.core.DataPactException;
import org.datapact.core.decision.DecisionRequest;
import org.datapact.core.label.Label;
import org.datapact.core.label.LabelSet;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Purpose;
import org.datapact.core.policy.Scope;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.PathParams;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.server.release.LabelAnswer;
import org.datapact.server.release.ReleasePipeline;
import org.datapact.store.partner.PartnerData;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/units/users/{userId}/signals}: the one door through which an internal unit
 * reads what partners pushed about a user. DataPact attaches the labels of what it holds — the
 * source partner, the category, the subject's rule set — and decides with them: a unit cannot leave
 * a label out, so {@code watch} asking for anything {@code streamflix} pushed is refused here
 * whatever it says, and {@code ads} targeting with it is refused unless on {@code streamflix}'s own
 * behalf. Each read is one release through the pipeline, durable in the ledger before the data
 * leaves.
 */
public final class UnitDataFeature implements Feature {
  /** Most signals one read returns. */
  static final int MAX_SIGNALS = 100;

  private final ServerContext context;
  private final PartnerData data;

  /**
   * @param context the server's shared parts
   */
  public UnitDataFeature(ServerContext context) {
    this.context = context;
    this.data = new PartnerData(context.db());
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.get("/api/v1/units/users/{userId}/signals", this::signals, Role.UNIT));
  }

  /**
   * A held signal as a unit receives it.
   *
   * @param label the label DataPact attached
   * @param restsOn the ledger entry of the partner's decision that let the signal in (null for one
   *     generated with the demo world's history)
   */
  record Signal(
      String id, LabelAnswer label, JsonNode signal, String observedAt, @Nullable Long restsOn) {}

  /**
   * The answer: the signals, and the union of their labels — what the decision was made on.
   *
   * @param decisionId the decision's ledger entry (also in {@code X-DataPact-Decision-Id})
   */
  record Signals(String decisionId, List<LabelAnswer> labels, List<Signal> data) {}

  private void signals(Context ctx) throws DataPactException {
    PartyId unit = AccessControl.requireCaller(ctx).requireParty();
    UserId user = PathParams.userId(ctx, "userId");
    Purpose purpose = PathParams.purpose(ctx.queryParam("purpose"), "ranking");
    PartyId onBehalfOf = party(ctx.queryParam("onBehalfOf"));
    ReleasePipeline release = context.release();
    if (release.snapshot().countryOf(user).isEmpty()) {
      throw DataPactException.notFound("no user `" + user + "`");
    }
    List<PartnerData.HeldSignal> held = data.signalsOf(user, MAX_SIGNALS);
    // INVARIANT: the labels are those of the data DataPact holds, never the request's
    Set<Label> labels = new HashSet<>();
    held.forEach(s -> labels.add(s.label()));
    DecisionRequest request =
        new DecisionRequest(
            unit,
            user,
            new LabelSet(labels),
            Scope.DATA_USE,
            purpose,
            release.now(),
            onBehalfOf,
            0);
    ReleasePipeline.Receipt receipt =
        release.release(
            new ReleasePipeline.Asked("GET /api/v1/units/users/{userId}/signals", null),
            release.decide(request),
            List.of());
    receipt.headers().forEach(ctx::header);
    ObjectMapper mapper = context.mapper();
    List<Signal> out = new ArrayList<>(held.size());
    for (PartnerData.HeldSignal s : held) {
      JsonNode payload;
      try {
        payload = mapper.readTree(s.payload());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(
            "a stored signal is not JSON", e); // INVARIANT: stored as JSON
      }
      out.add(
          new Signal(
              Long.toString(s.id()),
              LabelAnswer.of(s.label()),
              payload,
              s.observedAt().toString(),
              s.restsOn()));
    }
    ctx.json(new Signals(receipt.decisionId(), LabelAnswer.sorted(labels), out));
  }

  private static @Nullable PartyId party(@Nullable String p) throws DataPactException {
    if (p == null) {
      return null;
    }
    try {
      return PartyId.of(p);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid("`onBehalfOf`: " + e.getMessage());
    }
  }
}
