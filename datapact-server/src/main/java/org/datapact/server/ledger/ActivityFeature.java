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
  private final LedgerActivity activity;

  /**
   * @param context the server's shared parts
   */
  public ActivityFeature(ServerContext context) {
    this.activity = new LedgerActivity(context.ledger(), context.mapper());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/ledger/activity", this::activity, Role.REGULATOR, Role.OPERATOR));
  }

  private void activity(Context ctx) throws DataPactException {
    ctx.json(activity.now());
  }
}
