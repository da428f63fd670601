package org.datapact.server.http;

import io.javalin.http.Context;
import org.datapact.core.DataPactException;
import org.datapact.core.user.UserId;

/** Path parameters that several routes share, parsed once with one wording of their errors. */
public final class PathParams {
  private PathParams() {}

  /**
   * @return the platform user id in path parameter {@code name}
   * @throws DataPactException invalid input unless it is a positive number
   */
  public static UserId userId(Context ctx, String name) throws DataPactException {
    String v = ctx.pathParam(name);
    long id;
    try {
      id = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw DataPactException.invalid("user id `" + v + "` must be a number");
    }
    if (id <= 0) {
      throw DataPactException.invalid("user id must be positive, got `" + id + "`");
    }
    return UserId.of(id);
  }
}
