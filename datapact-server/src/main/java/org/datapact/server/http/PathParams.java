package org.datapact.server.http;

import io.javalin.http.Context;
import org.datapact.core.DataPactException;
import org.datapact.core.policy.Purpose;
import org.datapact.core.user.UserId;
import org.jspecify.annotations.Nullable;

/** Request parameters that several routes share, parsed once with one wording of their errors. */
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

  /**
   * @return the ledger index in path parameter {@code name}
   * @throws DataPactException invalid input unless it is a non-negative number
   */
  public static long ledgerIndex(Context ctx, String name) throws DataPactException {
    String v = ctx.pathParam(name);
    try {
      long index = Long.parseLong(v);
      if (index >= 0) {
        return index;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw DataPactException.invalid(
        "`" + name + "` must be a ledger index (a number), got `" + v + "`");
  }

  /**
   * @param value the {@code purpose} query parameter as sent, or null
   * @param example a purpose the route's callers typically declare, for the error message
   * @return the purpose it names
   * @throws DataPactException invalid input when it is missing or names no purpose
   */
  public static Purpose purpose(@Nullable String value, String example) throws DataPactException {
    if (value == null || value.isBlank()) {
      throw DataPactException.invalid(
          "query parameter `purpose` is required: what the data will be used for, e.g. `?purpose="
              + example
              + "`");
    }
    try {
      return Purpose.fromWire(value);
    } catch (IllegalArgumentException e) {
      throw DataPactException.invalid(String.valueOf(e.getMessage()));
    }
  }
}
