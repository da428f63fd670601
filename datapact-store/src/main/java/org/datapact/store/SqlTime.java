package org.datapact.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * Instants to and from {@code TIMESTAMP WITH TIME ZONE} columns, the same on both engines: H2
 * returns them as {@link OffsetDateTime}, PostgreSQL as {@link Timestamp}.
 */
public final class SqlTime {
  private SqlTime() {}

  /**
   * @return the value to bind for {@code t}, or null for null
   */
  public static @Nullable OffsetDateTime utc(@Nullable Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  /**
   * @return the instant a NOT NULL column holds
   * @throws IllegalStateException if it holds null (the schema says it cannot)
   */
  public static Instant required(@Nullable Object v) {
    Instant t = instant(v);
    if (t == null) {
      throw new IllegalStateException("a NOT NULL time column held null");
    }
    return t;
  }

  /**
   * @return the instant a column value holds, or null for null
   */
  public static @Nullable Instant instant(@Nullable Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof OffsetDateTime o ? o.toInstant() : ((Timestamp) v).toInstant();
  }
}
