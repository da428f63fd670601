package org.datapact.store.session;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;

/**
 * Console sessions signed out before their token expired, by token id ({@code jti}). Kept in the
 * store until the token would have expired, so a copied session cookie stops working at sign-out
 * and stays refused after a restart; read from memory on every request.
 *
 * <p>Thread-safe.
 */
public final class SessionRevocations {
  private final Database db;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

  /**
   * Loads the revocations that have not expired yet and forgets the others.
   *
   * @param now the server's clock
   */
  public SessionRevocations(Database db, Instant now) {
    this.db = db;
    db.jdbi()
        .useHandle(
            h -> {
              h.createUpdate("DELETE FROM session_revocation WHERE expires_at <= ?")
                  .bind(0, SqlTime.utc(now))
                  .execute();
              h.createQuery("SELECT jti, expires_at FROM session_revocation")
                  .map((rs, ctx) -> Map.entry(rs.getString(1), SqlTime.instant(rs.getObject(2))))
                  .forEach(e -> revoked.put(e.getKey(), e.getValue()));
            });
  }

  /**
   * Revokes the session token {@code jti} until {@code expiresAt}, durably (stored before it
   * returns).
   */
  public void revoke(String jti, Instant expiresAt) {
    db.jdbi()
        .useTransaction(
            h -> {
              int n =
                  h.createUpdate("UPDATE session_revocation SET expires_at = ? WHERE jti = ?")
                      .bind(0, SqlTime.utc(expiresAt))
                      .bind(1, jti)
                      .execute();
              if (n == 0) {
                h.createUpdate("INSERT INTO session_revocation (jti, expires_at) VALUES (?, ?)")
                    .bind(0, jti)
                    .bind(1, SqlTime.utc(expiresAt))
                    .execute();
              }
            });
    revoked.put(jti, expiresAt);
  }

  /**
   * @return whether the session token {@code jti} was signed out
   */
  public boolean isRevoked(String jti) {
    return revoked.containsKey(jti);
  }
}
