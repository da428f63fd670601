package org.datapact.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants to and from {@code TIMESTAMP WITH TIME ZONE} columns, the same on both engines: H2
 * returns them as {@link OffsetDateTime}, PostgreSQL as {@link Timestamp}.
 */
public final class SqlTime {
  private SqlTime() {}

  /** @return the value to bind for {@code t}, or null for null */
  public static OffsetDateTime utc(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  /** @return the instant a column value holds, or null for null */
  public static Instant instant(Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof OffsetDateTime o ? o.toInstant() : ((Timestamp) v).toInstant();
  }
}
