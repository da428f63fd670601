package org.datapact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.datapact.store.Database;
import org.datapact.store.StoreConfig;
import org.datapact.store.world.WorldStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path tmp;

  private static void assertOneLineError(Cli r, int code, String start) {
    assertThat(r.exitCode()).isEqualTo(code);
    assertThat(r.err().strip().lines())
        .as(r.err())
        .filteredOn(l -> l.startsWith("datapact:"))
        .hasSize(1);
    assertThat(r.err())
        .contains("datapact: error: " + start)
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  @Test
  void printsTheVersionAsTextAndJson() {
    assertThat(Cli.run("version").out()).startsWith("datapact ");
    assertThat(Cli.run("version", "--json").out()).startsWith("{\"version\":");
  }

  @Test
  void everyCommandHasHelp() {
    for (String cmd : new String[] {"demo", "serve", "version", "partner", "agreement"}) {
      Cli r = Cli.run(cmd, "--help");
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).contains("Usage: datapact " + cmd);
    }
    assertThat(Cli.run("--help").out()).contains("Exit codes:");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    Cli r = Cli.run("demo", "--frobnicate");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(Cli.run().exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void anIncompleteOpenIdConnectSettingEndsWithOneClearLineNamingWhatIsMissing() {
    Cli noUrl =
        Cli.run(
            java.util.Map.of("DATAPACT_OIDC_ISSUER", "https://sso.example.com/realms/datapact"),
            "serve",
            "--data-dir",
            tmp.toString());
    assertOneLineError(noUrl, ExitCodes.CONFIGURATION, "oidc-issuer is set: set public-url too");
    Cli noSecret =
        Cli.run(
            java.util.Map.of(
                "DATAPACT_OIDC_ISSUER", "https://sso.example.com/realms/datapact",
                "DATAPACT_OIDC_CLIENT_ID", "datapact"),
            "serve",
            "--public-url",
            "https://datapact.example.com",
            "--data-dir",
            tmp.toString());
    assertThat(noSecret.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
    assertThat(noSecret.err()).contains("client secret", "DATAPACT_OIDC_CLIENT_SECRET");
  }

  @Test
  void anUnreachableDatabaseEndsWithOneClearLine() {
    Cli r =
        Cli.run(
            "demo",
            "--generate-only",
            "--users",
            "100",
            "--data-dir",
            tmp.toString(),
            "--db-url",
            "jdbc:postgresql://127.0.0.1:1/nowhere");
    assertOneLineError(
        r,
        ExitCodes.UNAVAILABLE,
        "cannot connect to database `jdbc:postgresql://127.0.0.1:1/nowhere`");
  }

  @Test
  void aTakenPortEndsWithOneClearLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Cli r =
          Cli.run(
              "demo",
              "--data-dir",
              tmp.toString(),
              "--port",
              Integer.toString(taken.getLocalPort()));
      assertOneLineError(
          r,
          ExitCodes.UNAVAILABLE,
          "port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
    }
  }

  @Test
  void anUnwritableDataDirEndsWithOneClearLine() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Cli r = Cli.run("demo", "--generate-only", "--data-dir", file.resolve("data").toString());
    assertOneLineError(
        r,
        ExitCodes.CONFIGURATION,
        "data directory `" + file.resolve("data") + "` is not writable");
  }

  @Test
  void aBadPortValueNamesItsSource() {
    Cli r = Cli.run(Map.of("DATAPACT_PORT", "eighty"), "serve", "--data-dir", tmp.toString());
    assertOneLineError(
        r, ExitCodes.CONFIGURATION, "port `eighty` (env DATAPACT_PORT) must be a number");
  }

  @Test
  void anUnknownConfigFileKeyIsRefused() throws Exception {
    Path conf = Files.writeString(tmp.resolve("datapact.properties"), "prot=8080\n");
    Cli r = Cli.run("serve", "--config", conf.toString());
    assertOneLineError(r, ExitCodes.CONFIGURATION, "unknown key `prot`");
  }

  @Test
  void aShortSessionKeyIsRefused() throws Exception {
    Settings s = Settings.resolve(null, Map.of("DATAPACT_SESSION_KEY", "c2hvcnQ="), Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Launch.sessionTokens(s))
        .hasMessageContaining("at least 32 bytes, got 5");
  }

  @Test
  void aConfiguredSessionKeyMakesSessionsSurviveARestart() throws Exception {
    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    Settings s = Settings.resolve(null, Map.of("DATAPACT_SESSION_KEY", key), Map.of());
    var caller =
        new org.datapact.server.session.Caller(
            "oscar", "Oscar", org.datapact.server.http.Role.OPERATOR, null, null);
    String token = Launch.sessionTokens(s).issue(caller);
    assertThat(Launch.sessionTokens(s).verify(token)).isEqualTo(caller);
  }

  @Test
  void printConfigShowsLayersAndMasksSecrets() throws Exception {
    Path conf = Files.writeString(tmp.resolve("c.properties"), "port=9000\ndb-password=fromfile\n");
    Cli r =
        Cli.run(
            Map.of("DATAPACT_PORT", "9100", "DATAPACT_DB_PASSWORD", "s3cret"),
            "serve",
            "--config",
            conf.toString(),
            "--host",
            "0.0.0.0",
            "--print-config");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("host = 0.0.0.0  (flag --host)")
        .contains("port = 9100  (env DATAPACT_PORT)")
        .contains("db-password = ****  (env DATAPACT_DB_PASSWORD)")
        .contains("data-dir = data  (default)")
        .doesNotContain("s3cret")
        .doesNotContain("fromfile");
  }

  @Test
  void sameSeedGivesAByteIdenticalCastFileAndTheSameWorld() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    assertThat(
            Cli.run(
                    "demo",
                    "--generate-only",
                    "--users",
                    "500",
                    "--seed",
                    "7",
                    "--data-dir",
                    a.toString())
                .exitCode())
        .isZero();
    assertThat(
            Cli.run(
                    "demo",
                    "--generate-only",
                    "--users",
                    "500",
                    "--seed",
                    "7",
                    "--data-dir",
                    b.toString())
                .exitCode())
        .isZero();
    assertThat(
            Cli.run(
                    "demo",
                    "--generate-only",
                    "--users",
                    "500",
                    "--seed",
                    "8",
                    "--data-dir",
                    c.toString())
                .exitCode())
        .isZero();
    byte[] castA = Files.readAllBytes(a.resolve("demo/cast.json"));
    assertThat(castA).isEqualTo(Files.readAllBytes(b.resolve("demo/cast.json")));
    assertThat(castA).isNotEqualTo(Files.readAllBytes(c.resolve("demo/cast.json")));
    assertThat(new String(castA, java.nio.charset.StandardCharsets.UTF_8))
        .contains(
            "\"handle\" : \"alice\"",
            "\"handle\" : \"dave\"",
            "\"clientId\" : \"streamflix-app\"",
            "\"clientSecret\" : \"dps_");
    assertThat(digest(a)).isEqualTo(digest(b)).isNotEqualTo(digest(c));
  }

  @Test
  void exportsAVersionAndImportsTheNextAsADraftRefusingAWrongVersion() throws Exception {
    Path d = tmp.resolve("agreements");
    assertThat(
            Cli.run("demo", "--generate-only", "--users", "100", "--data-dir", d.toString())
                .exitCode())
        .isZero();
    Cli export =
        Cli.run(
            "agreement",
            "export",
            "--id",
            "seekr-search",
            "--version",
            "1",
            "--data-dir",
            d.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).contains("urn:datapact:party:seekr", "profile.basic");
    Path draft = tmp.resolve("seekr-2.json");
    java.nio.file.Files.writeString(
        draft, export.out().replace("\"dp:version\" : 1", "\"dp:version\" : 2"));
    Cli imported = Cli.run("agreement", "import", draft.toString(), "--data-dir", d.toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("draft seekr-search@2");
    Cli again = Cli.run("agreement", "import", draft.toString(), "--data-dir", d.toString());
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("`dp:version`");
    try (Database db = Database.open(StoreConfig.embedded(d))) {
      assertThat(new org.datapact.store.policy.PolicyStore(db).agreements())
          .anySatisfy(
              a -> {
                assertThat(a.terms().ref()).isEqualTo("seekr-search@2");
                assertThat(a.history().get(0).status().wire()).isEqualTo("draft");
              });
    }
  }

  @Test
  void registersAPartnerAndIssuesRotatesAndRetiresItsClientWithTheOldSecretEndingAtOnce()
      throws Exception {
    Path d = tmp.resolve("registry");
    assertThat(
            Cli.run("demo", "--generate-only", "--users", "100", "--data-dir", d.toString())
                .exitCode())
        .isZero();
    String dir = d.toString();
    Cli registered =
        Cli.run(
            "partner",
            "register",
            "--id",
            "cinemo",
            "--kind",
            "partner",
            "--name",
            "Cinemo",
            "--data-dir",
            dir);
    assertThat(registered.exitCode()).as(registered.err()).isZero();
    assertThat(
            Cli.run(
                    "partner",
                    "register",
                    "--id",
                    "cinemo",
                    "--kind",
                    "partner",
                    "--name",
                    "X",
                    "--data-dir",
                    dir)
                .err())
        .contains("registered already");
    Cli issued = Cli.run("partner", "issue-client", "--party", "cinemo", "--data-dir", dir);
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    String clientId = line(issued.out(), "client_id:");
    String first = line(issued.out(), "client_secret:");
    Cli rotated = Cli.run("partner", "rotate", "--client", clientId, "--data-dir", dir);
    assertThat(rotated.exitCode()).as(rotated.err()).isZero();
    String second = line(rotated.out(), "client_secret:");
    assertThat(second).startsWith("dps_").isNotEqualTo(first);
    try (Database db = Database.open(StoreConfig.embedded(d))) {
      var stored = new org.datapact.store.party.PartyRepository(db).client(clientId).orElseThrow();
      assertThat(
              org.datapact.core.security.SecretHasher.verify(
                  org.datapact.core.security.Secret.of(first), stored.secretHash()))
          .isFalse();
      assertThat(
              org.datapact.core.security.SecretHasher.verify(
                  org.datapact.core.security.Secret.of(second), stored.secretHash()))
          .isTrue();
    }
    assertThat(Cli.run("partner", "retire", "--client", clientId, "--data-dir", dir).exitCode())
        .isZero();
    assertThat(Cli.run("partner", "list", "--data-dir", dir).out())
        .contains("cinemo", clientId, "retired");
    try (Database db = Database.open(StoreConfig.embedded(d))) {
      assertThat(new org.datapact.store.party.PartyRepository(db).client(clientId)).isEmpty();
      assertThat(new org.datapact.store.party.Registry(db).changesNotInLedger())
          .extracting(p -> p.change().action())
          .containsExactly("party_registered", "client_issued", "client_rotated", "client_retired");
    }
  }

  @Test
  void verifiesAConsentReceiptWithThePublicKeyAloneAndRefusesAForgedOne() throws Exception {
    var keys =
        org.datapact.ledger.checkpoint.SigningKeys.loadOrCreate(
            tmp.resolve("keys"), "datapact-receipts");
    var receipts =
        new org.datapact.server.privacy.ConsentReceipts(
            keys, "DataPact platform", org.datapact.server.http.Json.newMapper());
    String jws =
        receipts.issue(
            org.datapact.core.consent.ConsentChange.grant(
                org.datapact.core.user.UserId.of(1),
                org.datapact.core.party.PartyId.of("streamflix"),
                org.datapact.core.consent.ConsentTopic.of(
                    org.datapact.core.policy.Purpose.RECOMMENDATIONS),
                java.time.Instant.parse("2026-12-03T10:00:00Z"),
                null,
                org.datapact.core.consent.ConsentBasis.EXPLICIT,
                "privacy-center"),
            42,
            "EU",
            java.util.List.of("social_graph"));
    Path receipt = tmp.resolve("receipt.jws");
    Path key = tmp.resolve("receipts.jwk");
    java.nio.file.Files.writeString(receipt, jws);
    java.nio.file.Files.writeString(key, receipts.publicJwk().toJSONString());
    Cli ok = Cli.run("receipt", "verify", receipt.toString(), "--key", key.toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out())
        .contains("receipt verified: grant recommendations to streamflix by user:1")
        .contains("ledger entry 42");

    String[] parts = jws.split("\\.");
    java.nio.file.Files.writeString(
        receipt, parts[0] + "." + parts[1].replace('A', 'B') + "." + parts[2]);
    Cli forged = Cli.run("receipt", "verify", receipt.toString(), "--key", key.toString());
    assertThat(forged.exitCode()).isEqualTo(5);
    assertThat(forged.err()).contains("does NOT verify");

    var other =
        org.datapact.ledger.checkpoint.SigningKeys.loadOrCreate(
            tmp.resolve("k2"), "datapact-receipts");
    java.nio.file.Files.writeString(receipt, jws);
    java.nio.file.Files.writeString(
        key, org.datapact.server.privacy.ConsentReceipts.publicJwk(other).toJSONString());
    assertThat(Cli.run("receipt", "verify", receipt.toString(), "--key", key.toString()).exitCode())
        .as("another key")
        .isEqualTo(5);
  }

  private static String line(String out, String label) {
    return out.lines()
        .filter(l -> l.startsWith(label))
        .map(l -> l.substring(label.length()).strip())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aSecondRunKeepsTheWorldAlreadyInTheStore() {
    Path d = tmp.resolve("d");
    Cli.run("demo", "--generate-only", "--users", "300", "--data-dir", d.toString());
    Cli again = Cli.run("demo", "--generate-only", "--users", "300", "--data-dir", d.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.err()).contains("using the world already in the store");
  }

  private static String digest(Path dataDir) throws Exception {
    try (Database db = Database.open(StoreConfig.embedded(dataDir))) {
      return new WorldStore(db).digest();
    }
  }

  @Test
  void anUnknownCommandIsAUsageErrorWhateverFlagsFollowIt() {
    for (String[] args :
        new String[][] {
          {"frobnicate", "--help"},
          {"frobnicate"},
          {"ledger", "frobnicate", "--help"},
          {"frobnicate", "--version"}
        }) {
      Cli r = Cli.run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("unknown command `frobnicate`");
      assertThat(r.out()).doesNotContain("Usage:");
    }
    assertThat(Cli.run("ledger", "verify", "--help").exitCode()).isZero();
  }

  @Test
  void theDemoRefusesANonLoopbackHostWithoutAllowRemote() {
    Cli r =
        Cli.run(
            "demo",
            "--data-dir",
            tmp.toString(),
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--users",
            "100");
    assertOneLineError(
        r,
        ExitCodes.CONFIGURATION,
        "the demo signs anyone in without a password, so it listens on loopback only");
  }

  @Test
  void serveRefusesAStoreThatHoldsTheDemoWorld() {
    Cli gen = Cli.run("demo", "--generate-only", "--data-dir", tmp.toString(), "--users", "100");
    assertThat(gen.exitCode()).as(gen.err()).isZero();
    Cli r = Cli.run("serve", "--data-dir", tmp.toString(), "--port", "0");
    assertOneLineError(r, ExitCodes.CONFIGURATION, "this store holds the demo world (seed 42)");
  }

  @Test
  void aPublicUrlMustBeAnHttpUrlOfAHost() {
    Cli r = Cli.run("serve", "--data-dir", tmp.toString(), "--public-url", "javascript:alert(1)");
    assertOneLineError(
        r,
        ExitCodes.CONFIGURATION,
        "public-url `javascript:alert(1)` (flag --public-url) must be an http or https URL");
  }
}
