package org.datapact.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.log.LogFormat;
import org.datapact.ledger.verify.LedgerVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code datapact ledger ...}: work with a ledger directory. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "Work with the tamper-evident ledger.",
    subcommands = {
      LedgerCommand.Verify.class,
      LedgerCommand.Replay.class,
      LedgerCommand.Reconcile.class
    })
final class LedgerCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "choose a ledger command: verify, replay or reconcile");
  }

  /**
   * {@code datapact ledger verify}: checks a ledger directory offline with only the public key.
   * Exit 0 when it verifies, 5 when it does not (the line names the first bad index).
   */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Verify a ledger directory offline: rebuild the tree from the entries, check every checkpoint's",
        "signature and consistency, and the stored index and tree levels. Needs no database and no server."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        defaultValue = "data/ledger",
        description = {
          "The ledger directory, holding log/ (default: ${DEFAULT-VALUE}), as for `ledger replay`;",
          "its log/ directory itself is accepted too."
        })
    @SuppressWarnings("NullAway.Init") // it has a default value
    Path dir;

    @Option(
        names = "--public-key",
        required = true,
        paramLabel = "FILE",
        description = "The log's verifier key (C2SP format: name+keyid+base64key).")
    @SuppressWarnings("NullAway.Init") // required = true: picocli sets it or refuses the command
    Path publicKey;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(
        names = "--bundle",
        paramLabel = "FILE",
        description = {
          "Verify an auditor bundle (GET /api/v1/ledger/bundle?period=P) instead of a directory: its",
          "signature, its checkpoint and every entry's inclusion proof, with only the public key."
        })
    @org.jspecify.annotations.Nullable
    Path bundle;

    @Override
    public Integer call() throws DataPactException {
      if (bundle != null) {
        return verifyBundle(bundle);
      }
      if (!Files.isDirectory(dir)) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION, "ledger directory `" + dir + "` does not exist");
      }
      // INVARIANT: a directory without a log fails; it never verifies as an empty ledger
      Path logDir = Files.isDirectory(dir.resolve("log")) ? dir.resolve("log") : dir;
      if (!Files.isRegularFile(LogFormat.segmentFile(logDir, 0))) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION,
            "`"
                + dir
                + "` holds no ledger: neither `"
                + LogFormat.segmentFile(dir.resolve("log"), 0)
                + "` nor `"
                + LogFormat.segmentFile(dir, 0)
                + "` exists; pass the ledger directory (e.g. data/ledger) as for `ledger replay`");
      }
      Notes.VerifierKey key;
      try {
        key = Notes.parseVerifierKey(Files.readString(publicKey));
      } catch (IOException e) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION,
            "cannot read public key `" + publicKey + "`: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION, "public key `" + publicKey + "`: " + e.getMessage());
      }
      LedgerVerifier.Result r;
      try {
        r = LedgerVerifier.verify(logDir, key.name(), key.rawPublicKey());
      } catch (IOException e) {
        throw new DataPactException(
            ErrorKind.UNAVAILABLE, "cannot read the ledger in `" + dir + "`: " + e.getMessage());
      }
      if (json) {
        try {
          spec.commandLine()
              .getOut()
              .println(org.datapact.server.http.Json.newMapper().writeValueAsString(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException(
              e); // INVARIANT: a record of numbers and a string serialises
        }
      } else {
        spec.commandLine().getOut().println(r.message());
      }
      return r.ok() ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
    }

    private Integer verifyBundle(Path file) throws DataPactException {
      var mapper = org.datapact.server.http.Json.newMapper();
      Notes.VerifierKey key = key();
      com.fasterxml.jackson.databind.JsonNode b;
      try {
        b = mapper.readTree(Files.readString(file));
      } catch (IOException e) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION, "cannot read bundle `" + file + "`: " + e.getMessage());
      }
      var r = org.datapact.server.ledger.AuditorBundle.verify(b, key, mapper);
      try {
        spec.commandLine().getOut().println(json ? mapper.writeValueAsString(r) : r.message());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e); // INVARIANT: a record of strings and numbers
      }
      return r.ok() ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
    }

    private Notes.VerifierKey key() throws DataPactException {
      try {
        return Notes.parseVerifierKey(Files.readString(publicKey));
      } catch (IOException e) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION,
            "cannot read public key `" + publicKey + "`: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION, "public key `" + publicKey + "`: " + e.getMessage());
      }
    }
  }

  /**
   * {@code datapact ledger replay}: re-decides one decision entry from what the log committed
   * before it. Exit 0 when it matches, 5 when it does not, 4 when the subject was erased, 2 when
   * the entry is not a decision.
   */
  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = {
        "Re-decide decision entry N from the agreement versions, party list and the subject's consent",
        "changes committed before it, and report whether the answer matches the recorded one. Reads the ledger",
        "directory without writing (safe beside a running server); needs no database."
      })
  static final class Replay implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        defaultValue = "data/ledger",
        description = "The ledger directory, holding log/ and keys/ (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init") // it has a default value
    Path dir;

    @Option(
        names = "--index",
        required = true,
        paramLabel = "N",
        description = "The decision entry to replay.")
    long index;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws DataPactException {
      if (!Files.isDirectory(dir.resolve("log"))) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION, "`" + dir + "` is not a ledger directory (no log/ in it)");
      }
      com.fasterxml.jackson.databind.ObjectMapper mapper =
          org.datapact.server.http.Json.newMapper();
      org.datapact.server.ledger.LedgerReplay.Result r;
      try {
        r = org.datapact.server.ledger.LedgerReplay.replay(dir, index, mapper);
      } catch (DataPactException e) {
        if (e.kind() == ErrorKind.INVALID_INPUT) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        throw e;
      } catch (IOException e) {
        throw new DataPactException(
            ErrorKind.UNAVAILABLE, "cannot replay from `" + dir + "`: " + e.getMessage());
      }
      if (json) {
        try {
          spec.commandLine().getOut().println(mapper.writeValueAsString(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException(e); // INVARIANT: records of strings serialise
        }
      } else {
        spec.commandLine().getOut().println(r.message());
      }
      return switch (r.outcome()) {
        case MATCH -> ExitCodes.OK;
        case MISMATCH -> ExitCodes.VERIFICATION_FAILED;
        case ERASED -> ExitCodes.UNAVAILABLE;
        case NOT_A_DECISION -> ExitCodes.USAGE;
        case OTHER_SHARDS -> ExitCodes.UNAVAILABLE; // never from one directory (one shard known)
      };
    }
  }

  /**
   * {@code datapact ledger reconcile}: verifies every shard of a several-node deployment and checks
   * that each receipt a partner kept has its entry. Exit 0 when all hold, 5 when not.
   */
  @Command(
      name = "reconcile",
      mixinStandardHelpOptions = true,
      description = {
        "Verify every ledger shard (one per node) with its key from the shard list, and check that every",
        "receipt a partner kept (X-DataPact-Ledger-Shard, -Ledger-Index, -Decision-Id) names an entry of its",
        "shard carrying that decision id: no release without a ledger entry, no acknowledged entry lost."
      })
  static final class Reconcile implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--shards",
        required = true,
        paramLabel = "FILE",
        description = "The shard list: what GET /api/v1/ledger/shards answers (origins and keys).")
    @SuppressWarnings("NullAway.Init") // required = true
    Path shards;

    @Option(
        names = "--receipts",
        required = true,
        paramLabel = "FILE",
        description = "CSV lines shard,index,decisionId (a header line is allowed).")
    @SuppressWarnings("NullAway.Init") // required = true
    Path receipts;

    @picocli.CommandLine.Parameters(
        arity = "1..*",
        paramLabel = "DIR",
        description =
            "Each shard's ledger directory (holding log/), e.g. node-a/ledger node-b/ledger.")
    @SuppressWarnings("NullAway.Init") // arity 1..*
    java.util.List<Path> dirs;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws DataPactException {
      var mapper = org.datapact.server.http.Json.newMapper();
      java.util.Map<String, String> keys;
      java.util.List<org.datapact.server.ledger.ShardReconciliation.Receipt> list;
      try {
        keys =
            org.datapact.server.ledger.ShardReconciliation.keysOf(
                mapper.readTree(Files.readString(shards)));
        list = org.datapact.server.ledger.ShardReconciliation.parseCsv(Files.readString(receipts));
      } catch (IOException e) {
        throw new DataPactException(ErrorKind.CONFIGURATION, "cannot read: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), String.valueOf(e.getMessage()));
      }
      for (Path d : dirs) {
        if (!Files.isDirectory(d)) {
          throw new DataPactException(
              ErrorKind.CONFIGURATION, "ledger directory `" + d + "` does not exist");
        }
      }
      org.datapact.server.ledger.ShardReconciliation.Result r;
      try {
        r = org.datapact.server.ledger.ShardReconciliation.reconcile(keys, dirs, list, mapper);
      } catch (IOException e) {
        throw new DataPactException(
            ErrorKind.UNAVAILABLE, "cannot read a shard: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new DataPactException(ErrorKind.CONFIGURATION, String.valueOf(e.getMessage()));
      }
      try {
        spec.commandLine().getOut().println(json ? mapper.writeValueAsString(r) : r.message());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e); // INVARIANT: records of strings and numbers
      }
      if (!json) {
        r.problems().forEach(p -> spec.commandLine().getOut().println("  " + p));
      }
      return r.ok() ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
    }
  }
}
