package org.datapact.server.ledger;

import io.javalin.http.Context;
import java.util.List;
import org.datapact.core.DataPactException;
import org.datapact.server.ServerContext;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;

/** The regulator's figures from the log: {@code GET /api/v1/ledger/activity}. */
public final class ActivityFeature implements Feature {
  private final ServerContext context;
  private final LedgerActivity activity;

  /**
   * @param context the server's shared parts
   */
  public ActivityFeature(ServerContext context) {
    this.context = context;
    this.activity = new LedgerActivity(context.ledger(), context.mapper());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/ledger/activity", this::activity, Role.REGULATOR, Role.OPERATOR),
        Route.get("/api/v1/ledger/bundle", this::bundle, Role.REGULATOR));
  }

  /** The auditor bundle of {@code ?period=}, to download and verify offline. */
  private void bundle(Context ctx) throws DataPactException {
    String text = ctx.queryParam("period");
    org.datapact.core.agreement.ReportPeriod period;
    try {
      period = org.datapact.core.agreement.ReportPeriod.parseAny(text == null ? "" : text);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
    var bundle =
        AuditorBundle.build(
            context.ledger(),
            activity.now(),
            period,
            org.datapact.server.http.AccessControl.requireCaller(ctx).actor(),
            context.clock().instant(),
            context.mapper());
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\"datapact-auditor-bundle-" + period + ".json\"");
    ctx.json(bundle);
  }

  private void activity(Context ctx) throws DataPactException {
    ctx.json(activity.now());
  }
}
