package org.datapact.server.privacy;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.datapact.core.DataPactException;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.Permission;
import org.datapact.core.consent.ConsentChange;
import org.datapact.core.consent.ConsentTopic;
import org.datapact.core.decision.PolicySnapshot;
import org.datapact.core.party.PartyKind;
import org.datapact.core.policy.DataCategory;
import org.datapact.core.user.CountryCode;
import org.datapact.core.user.UserId;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;
import org.datapact.store.policy.PolicyStore;
import org.datapact.store.user.UserRepository;

/**
 * A user's consent receipts: one per recorded grant or revocation ({@link ConsentReceipts}), listed
 * and downloaded as compact JWS; the public key is published beside the ledger's for anyone to
 * check them with ({@code ./datapact receipt verify}).
 */
public final class ReceiptsFeature implements Feature {
  private final ServerContext context;
  private final ConsentReceipts receipts;
  private final PolicyStore policies;
  private final UserRepository users;

  /**
   * @param context the server's shared parts
   */
  public ReceiptsFeature(ServerContext context) {
    this.context = context;
    this.receipts =
        new ConsentReceipts(
            context.ledger().receiptKeys(), ConsentReceipts.CONTROLLER, context.mapper());
    this.policies = new PolicyStore(context.db());
    this.users = new UserRepository(context.db());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/me/receipts", this::list, Role.USER),
        Route.get("/api/v1/me/receipts/{index}", this::download, Role.USER),
        Route.get("/api/v1/ledger/receipt-key", this::key, Role.PUBLIC));
  }

  /** A receipt in the list. */
  record ReceiptItem(
      long ledgerIndex, String action, String party, String topic, String at, String href) {}

  private void list(Context ctx) throws DataPactException {
    UserId user = AccessControl.requireCaller(ctx).requireUser();
    List<ReceiptItem> out = new ArrayList<>();
    for (PolicyStore.Recorded r : policies.recordedHistory(user)) {
      ConsentChange c = r.change();
      out.add(
          0,
          new ReceiptItem(
              r.ledgerIndex(),
              c.granted() ? "grant" : "revoke",
              c.party().value(),
              c.topic().wire(),
              c.at().toString(),
              href(r.ledgerIndex())));
    }
    ctx.json(out);
  }

  /**
   * @return where the receipt of the change ledgered at {@code index} is downloaded
   */
  static String href(long index) {
    return "/api/v1/me/receipts/" + index;
  }

  private void download(Context ctx) throws DataPactException {
    UserId user = AccessControl.requireCaller(ctx).requireUser();
    long index = org.datapact.server.http.PathParams.ledgerIndex(ctx, "index");
    PolicyStore.Recorded r =
        policies.recordedHistory(user).stream()
            .filter(x -> x.ledgerIndex() == index)
            .findFirst()
            .orElseThrow(() -> DataPactException.notFound("no receipt " + index + " of yours"));
    ctx.header("Content-Disposition", "attachment; filename=\"consent-receipt-" + index + ".jws\"");
    ctx.contentType("application/jose");
    ctx.result(issue(r.change(), index));
  }

  /**
   * @return the signed receipt of a change the ledger recorded at {@code index}
   */
  String issue(ConsentChange c, long index) throws DataPactException {
    CountryCode country =
        users
            .find(c.user())
            .orElseThrow(() -> DataPactException.notFound("no user `" + c.user().value() + "`"))
            .country();
    return issue(receipts, context.decisions().snapshot(), country, c, index);
  }

  /**
   * @param country the user's country, whose rule set the receipt names
   * @return the signed receipt of a change the ledger recorded at {@code index}, its PII categories
   *     read from {@code s}'s agreements
   */
  static String issue(
      ConsentReceipts receipts,
      PolicySnapshot s,
      CountryCode country,
      ConsentChange c,
      long index) {
    return receipts.issue(c, index, s.jurisdictions().of(country).id(), categories(s, c));
  }

  /**
   * @return the data categories the consent covers: those of every permission granted for its
   *     purpose to the party (or, for the platform, to its units) by a version in force when it was
   *     given; for the video-sharing consent, video viewing
   */
  private static List<String> categories(PolicySnapshot s, ConsentChange c) {
    TreeSet<String> out = new TreeSet<>();
    if (c.topic() == ConsentTopic.VIDEO_SHARING) {
      out.add(DataCategory.VIDEO_VIEWING.wire());
      return List.copyOf(out);
    }
    Instant at = c.at();
    Map<org.datapact.core.party.PartyId, PartyKind> kinds = s.partyKinds();
    for (AgreementRecord r : s.agreements()) {
      if (!r.activeAt(at)) {
        continue;
      }
      for (Permission p : r.terms().permissions()) {
        boolean forParty =
            c.party().equals(PolicySnapshot.PLATFORM)
                ? kinds.get(p.assignee()) == PartyKind.UNIT
                : p.assignee().equals(c.party());
        if (forParty
            && c.topic() instanceof ConsentTopic.ForPurpose fp
            && p.purposes().contains(fp.purpose())
            && p.scope().category() != null) {
          out.add(p.scope().category().wire());
        }
      }
    }
    return List.copyOf(out);
  }

  private void key(Context ctx) {
    ctx.contentType("application/jwk+json");
    ctx.result(receipts.publicJwk().toJSONString());
  }
}
