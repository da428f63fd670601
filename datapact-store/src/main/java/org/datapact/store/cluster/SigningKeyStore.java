package org.datapact.store.cluster;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.jspecify.annotations.Nullable;

/**
 * Signing keys every node shares, by purpose (access tokens): created once by whichever node needs
 * the first, rotated by an operator, retired after the tokens they signed expire.
 */
public final class SigningKeyStore {
  private final Database db;

  /**
   * @param db the store
   */
  public SigningKeyStore(Database db) {
    this.db = db;
  }

  /**
   * A key. {@link #toString} never shows the secret.
   *
   * @param retireAt when it stops verifying, or null while it is current
   */
  public record Key(String kid, byte[] secret, Instant createdAt, @Nullable Instant retireAt) {
    @Override
    public String toString() {
      return "Key[" + kid + ", secret=****]";
    }
  }

  /**
   * @return the keys of {@code purpose} not retired at {@code now}, newest first
   */
  public List<Key> live(String purpose, Instant now) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT kid, secret, created_at, retire_at FROM signing_key WHERE purpose = ?"
                            + " AND (retire_at IS NULL OR retire_at > ?) ORDER BY created_at DESC,"
                            + " kid DESC")
                    .bind(0, purpose)
                    .bind(1, SqlTime.utc(now))
                    .map(
                        (rs, ctx) ->
                            new Key(
                                rs.getString(1),
                                Base64.getDecoder().decode(rs.getString(2)),
                                SqlTime.required(rs.getObject(3)),
                                SqlTime.instant(rs.getObject(4))))
                    .list());
  }

  /**
   * The one secret named {@code kid} that every node must hold the same (the partner-id key): the
   * first node stores {@code candidate}; every later one, and any that raced it, gets what was
   * stored.
   *
   * @return the stored secret
   */
  public byte[] sharedSecret(String kid, String purpose, byte[] candidate, Instant now) {
    try {
      db.jdbi()
          .useHandle(
              h ->
                  h.createUpdate(
                          "INSERT INTO signing_key (kid, purpose, secret, created_at) VALUES (?, ?,"
                              + " ?, ?)")
                      .bind(0, kid)
                      .bind(1, purpose)
                      .bind(2, Base64.getEncoder().encodeToString(candidate))
                      .bind(3, SqlTime.utc(now))
                      .execute());
    } catch (org.jdbi.v3.core.JdbiException alreadyThere) {
      // another node stored it first (or an earlier start did): use theirs
    }
    String stored =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT secret FROM signing_key WHERE kid = ?")
                        .bind(0, kid)
                        .mapTo(String.class)
                        .one());
    return Base64.getDecoder().decode(stored);
  }

  /**
   * Creates a new key of {@code purpose}, which becomes the one that signs; the keys before it
   * retire at {@code retireOthersAt} (when what they signed has expired).
   *
   * @return its id
   */
  public String rotate(String purpose, Instant now, Instant retireOthersAt) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String kid = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    db.jdbi()
        .useTransaction(
            h -> {
              h.createUpdate(
                      "UPDATE signing_key SET retire_at = ? WHERE purpose = ? AND retire_at IS NULL")
                  .bind(0, SqlTime.utc(retireOthersAt))
                  .bind(1, purpose)
                  .execute();
              h.createUpdate(
                      "INSERT INTO signing_key (kid, purpose, secret, created_at) VALUES (?, ?, ?, ?)")
                  .bind(0, kid)
                  .bind(1, purpose)
                  .bind(2, Base64.getEncoder().encodeToString(secret))
                  .bind(3, SqlTime.utc(now))
                  .execute();
            });
    return kid;
  }
}
