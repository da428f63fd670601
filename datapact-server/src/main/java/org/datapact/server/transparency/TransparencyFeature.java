package org.datapact.server.transparency;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.ZoneOffset;
import java.util.List;
import org.datapact.core.DataPactException;
import org.datapact.server.ServerContext;
import org.datapact.server.http.AccessControl;
import org.datapact.server.http.Feature;
import org.datapact.server.http.Json;
import org.datapact.server.http.Role;
import org.datapact.server.http.Route;

/**
 * The public transparency report over HTTP: {@code /transparency} (the page, no sign-in), the
 * releases and budgets as JSON, one release as JSON or CSV; operators publish a release.
 */
public final class TransparencyFeature implements Feature {
  private final ServerContext context;
  private final TransparencyReports reports;

  /**
   * @param context the server's shared parts
   */
  public TransparencyFeature(ServerContext context) {
    this.context = context;
    this.reports =
        TransparencyReports.secure(context.db(), context.audit(), context.mapper())
            .acrossShards(new ShardCounts(context));
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/transparency", ctx -> ctx.redirect("/#/transparency"), Role.PUBLIC),
        Route.get("/api/v1/transparency", this::overview, Role.PUBLIC),
        Route.get("/api/v1/transparency/releases/{id}", this::release, Role.PUBLIC),
        Route.post("/api/v1/transparency/releases", this::publish, Role.OPERATOR));
  }

  /** The report's overview on the wire. */
  record Overview(
      String mechanism,
      String unitOfPrivacy,
      int minimumThreshold,
      String thresholdRule,
      String defaultEpsilon,
      List<TransparencyReports.Budget> budgets,
      List<TransparencyReports.Release> releases) {}

  private void overview(Context ctx) throws DataPactException {
    ctx.json(
        new Overview(
            TransparencyReports.MECHANISM,
            "one release: a user whose data was released k times in a period is protected with k"
                + " times the epsilon",
            TransparencyReports.MIN_THRESHOLD,
            "a release's threshold is the larger of the minimum and ln(cells / 0.01) / epsilon, so"
                + " that fewer than 0.01 cells made of noise alone are expected in a table",
            TransparencyReports.DEFAULT_EPSILON.toString(),
            reports.budgets(context.clock().instant().atZone(ZoneOffset.UTC).getYear()),
            reports.all()));
  }

  private void release(Context ctx) throws DataPactException {
    String id = ctx.pathParam("id");
    var r =
        reports
            .find(id)
            .orElseThrow(() -> DataPactException.notFound("no published release `" + id + "`"));
    String format = ctx.queryParam("format");
    if (format == null || format.equals("json")) {
      ctx.json(r);
    } else if (format.equals("csv")) {
      ctx.header(
          "Content-Disposition",
          "attachment; filename=\"datapact-transparency-" + r.period() + ".csv\"");
      ctx.contentType("text/csv; charset=utf-8");
      ctx.result(TransparencyReports.csv(r));
    } else {
      throw DataPactException.invalid("`format` must be json or csv, got `" + format + "`");
    }
  }

  private void publish(Context ctx) throws DataPactException {
    var caller = AccessControl.requireCaller(ctx);
    JsonNode b = Json.body(ctx, context.mapper(), JsonNode.class);
    JsonNode period = b.get("period");
    if (period == null || !period.isTextual()) {
      throw DataPactException.invalid(
          "`period` is required: a month, quarter or year such as 2026");
    }
    JsonNode epsilon = b.get("epsilon");
    if (epsilon != null && !epsilon.isTextual() && !epsilon.isNumber()) {
      throw DataPactException.invalid("`epsilon` must be a decimal such as 0.25");
    }
    var r =
        reports.publish(
            period.asText(),
            epsilon == null ? null : epsilon.asText(),
            caller.actor(),
            context.clock().instant());
    ctx.status(201).json(r);
  }
}
