package org.datapact.store.world;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.datapact.core.DataPactException;
import org.datapact.core.world.Cast;
import org.datapact.core.world.DemoPolicy;
import org.datapact.core.world.DemoReciprocity;
import org.datapact.core.world.DemoWorldGenerator;
import org.datapact.core.world.ProgressListener;
import org.datapact.core.world.WorldSpec;
import org.datapact.store.Database;
import org.datapact.store.SqlTime;
import org.datapact.store.partner.PartnerData;
import org.datapact.store.policy.GovernanceStore;
import org.jspecify.annotations.Nullable;

/**
 * Which world the store holds, and the operations on it as a whole: clear, open a writer, mark a
 * load complete, and compute a digest of its content.
 */
public final class WorldStore {
  /** World tables, children before parents, so deleting in this order respects foreign keys. */
  private static final List<String> TABLES_CHILD_FIRST =
      List.of(
          "erasure_notice",
          "erasure_request",
          "registry_change",
          "duty_report",
          "agreement_approval",
          "interest_declaration",
          "ad_refusal",
          "ad_delivery",
          "ad_simulation",
          "ad_campaign",
          "ad_segment",
          "advertiser",
          "partner_signal",
          "user_attribute",
          "consent_event",
          "agreement_status",
          "agreement_version",
          "message",
          "thread_participant",
          "inbox_thread",
          "friend_list",
          "app_user",
          "console_account",
          "client_credential",
          "party",
          "world_meta");

  /**
   * Each table with the ordered columns that define its content (secret hashes are salted, so
   * excluded).
   */
  private static final List<String> DIGEST_QUERIES =
      List.of(
          "SELECT id, kind, display_name, description FROM party ORDER BY id",
          "SELECT client_id, party_id FROM client_credential ORDER BY client_id",
          "SELECT handle, display_name, role, party_id FROM console_account ORDER BY handle",
          "SELECT id, handle, display_name, country FROM app_user ORDER BY id",
          "SELECT user_id, friend_ids FROM friend_list ORDER BY user_id",
          "SELECT id, subject, via_party, created_at FROM inbox_thread ORDER BY id",
          "SELECT thread_id, user_id FROM thread_participant ORDER BY thread_id, user_id",
          "SELECT id, thread_id, sender_id, sent_at, body, via_party FROM message ORDER BY id",
          "SELECT agreement_id, version, counterparty, title, document FROM agreement_version ORDER BY agreement_id, version",
          "SELECT agreement_id, version, seq, status, changed_at, changed_by FROM agreement_status ORDER BY agreement_id, version, seq",
          "SELECT user_id, party_id, topic, granted, changed_at, expires_at, basis, source FROM consent_event ORDER BY id",
          "SELECT user_id, age_band, interests FROM user_attribute ORDER BY user_id",
          "SELECT partner_id, user_id, category, jurisdiction, payload, observed_at FROM partner_signal WHERE ledger_index IS NULL ORDER BY id",
          "SELECT id, name, party_id FROM advertiser ORDER BY id",
          "SELECT id, advertiser_id, name, definition, budget_cents, bid_kind, bid_cents, starts, ends FROM ad_campaign WHERE ledger_index IS NULL ORDER BY id");

  private final Database db;

  /**
   * @param db the open store
   */
  public WorldStore(Database db) {
    this.db = db;
  }

  /**
   * @return the world the store holds, if a load completed
   */
  public Optional<WorldMeta> current() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT seed, user_count, generator_version, generated_at FROM world_meta WHERE id = 1")
                    .map(
                        (rs, ctx) ->
                            new WorldMeta(
                                rs.getLong(1),
                                rs.getInt(2),
                                rs.getInt(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant()))
                    .findOne());
  }

  /** Deletes the whole world, e.g. before loading one with another seed. */
  public void clear() {
    db.jdbi()
        .useTransaction(
            h -> {
              for (String t : TABLES_CHILD_FIRST) {
                h.execute("DELETE FROM " + t);
              }
            });
  }

  /**
   * Writes the reports the demo's partners filed before {@code asOf} ({@link DemoReciprocity}),
   * each reconciled with DataPact's own count of its period, for the ledger to record at start.
   */
  private void writeReciprocity(long seed, Instant asOf) {
    GovernanceStore governance = new GovernanceStore(db);
    PartnerData partners = new PartnerData(db);
    for (DemoReciprocity.DemoFiling f :
        DemoReciprocity.filings(DemoPolicy.agreements(), asOf, seed)) {
      long observed = 0;
      for (PartnerData.DailyCount c :
          partners.counts(f.partner(), f.period().from(), f.period().until())) {
        observed += f.metric().equals("recommendation_sends") ? c.sends() : c.clickedRecipients();
      }
      long reported = observed + (f.overstated() ? DemoReciprocity.OVERSTATED_CLICKS : 0);
      governance.insertReport(
          new GovernanceStore.Report(
              f.partner(),
              f.agreement(),
              f.dutyId(),
              f.metric(),
              f.period().toString(),
              reported,
              observed,
              f.overstated(),
              "{}",
              f.filedAt(),
              f.filedBy(),
              -1));
    }
  }

  /**
   * Makes sure the store holds the world of {@code spec}: keeps it when the completed world has the
   * same seed, size and generator version, and otherwise clears the store and generates it.
   *
   * @return the cast of the world and whether it was generated now
   * @throws DataPactException if writing fails
   */
  public Loaded ensure(
      DemoWorldGenerator generator, WorldSpec spec, ProgressListener progress, Clock clock)
      throws DataPactException {
    return ensure(generator, spec, progress, clock, null);
  }

  /**
   * Makes sure the store holds the world of {@code spec}, as {@link #ensure(DemoWorldGenerator,
   * WorldSpec, ProgressListener, Clock)} does, feeding {@code policy} the parties, users and
   * consent history it writes when it generates the world (and nothing when it keeps the stored
   * one).
   *
   * @return the cast of the world and whether it was generated now
   * @throws DataPactException if writing fails
   */
  public Loaded ensure(
      DemoWorldGenerator generator,
      WorldSpec spec,
      ProgressListener progress,
      Clock clock,
      org.datapact.core.world.@Nullable GeneratedPolicy policy)
      throws DataPactException {
    Optional<WorldMeta> meta = current();
    if (meta.isPresent()
        && meta.get().seed() == spec.seed()
        && meta.get().userCount() == spec.users()
        && meta.get().generatorVersion() == DemoWorldGenerator.VERSION) {
      return new Loaded(generator.cast(spec), false);
    }
    clear();
    Cast cast;
    try (WorldWriter w = new WorldWriter(db, policy)) {
      cast = generator.generate(spec, w, progress);
    }
    writeReciprocity(spec.seed(), clock.instant());
    markComplete(spec, DemoWorldGenerator.VERSION, clock.instant());
    return new Loaded(cast, true);
  }

  /**
   * The outcome of {@link #ensure}.
   *
   * @param cast who to log in as
   * @param generated whether the world was generated now (false: it was already there)
   */
  public record Loaded(Cast cast, boolean generated) {}

  /** Records that the world for {@code spec} is completely loaded. */
  public void markComplete(WorldSpec spec, int generatorVersion, Instant at) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO world_meta (id, seed, user_count, generator_version, generated_at) VALUES (1, ?, ?, ?, ?)")
                    .bind(0, spec.seed())
                    .bind(1, spec.users())
                    .bind(2, generatorVersion)
                    .bind(3, SqlTime.utc(at))
                    .execute());
  }

  /**
   * A SHA-256 digest of the world's content in a canonical order, independent of the database
   * engine: two stores hold the same world exactly when their digests are equal.
   *
   * @return lowercase hex digest
   */
  public String digest() {
    return db.jdbi()
        .withHandle(
            h -> {
              MessageDigest sha = sha256();
              for (String q : DIGEST_QUERIES) {
                sha.update(q.getBytes(StandardCharsets.UTF_8));
                h.createQuery(q)
                    .setFetchSize(10_000)
                    .map(
                        (rs, ctx) -> {
                          feedRow(sha, rs);
                          return Boolean.TRUE;
                        })
                    .forEach(x -> {});
              }
              return HexFormat.of().formatHex(sha.digest());
            });
  }

  private static void feedRow(MessageDigest sha, ResultSet rs) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    for (int i = 1; i <= n; i++) {
      Object v = rs.getObject(i);
      // INVARIANT: the same value prints the same on every engine (PostgreSQL returns
      // timestamptz as java.sql.Timestamp, H2 as OffsetDateTime)
      String s =
          v instanceof OffsetDateTime || v instanceof java.sql.Timestamp
              ? SqlTime.required(v).toString()
              : v instanceof java.sql.Array a
                  ? java.util.Arrays.toString((Object[]) a.getArray())
                  : String.valueOf(v);
      sha.update(s.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0x1f);
    }
    sha.update((byte) 0x1e);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }
}
