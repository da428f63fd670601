package org.datapact.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.ledger.witness.Witness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code datapact witness}: an independent witness of a DataPact log, run by the regulator or
 * anyone, with only the log's URL and public key. Each poll reads the latest checkpoint, asks the
 * log for a consistency proof from the last checkpoint it verified, checks both ({@link Witness}),
 * and posts its cosignature back; a checkpoint that forks from what it saw is refused, said on
 * standard error and recorded in {@code refusals.log}, and never cosigned.
 */
@Command(
    name = "witness",
    mixinStandardHelpOptions = true,
    description =
        "Witness a DataPact log: verify each checkpoint is consistent with the last one seen, then"
            + " cosign it (C2SP tlog-cosignature); refuse forks.")
final class WitnessCommand implements Callable<Integer> {
  /** Exit code when a checkpoint was refused (with --once). */
  static final int REFUSED = ExitCodes.VERIFICATION_FAILED;

  @Spec CommandSpec spec;

  @Option(
      names = "--log-url",
      required = true,
      description = "The log's base URL, e.g. http://127.0.0.1:8080.")
  String logUrl = "";

  @Option(
      names = "--log-key",
      required = true,
      description =
          "The log's verifier key (name+id+key, from GET /api/v1/ledger/public-key), or @file.")
  String logKey = "";

  @Option(
      names = "--name",
      defaultValue = "witness",
      description = "This witness's key name (default ${DEFAULT-VALUE}).")
  String name = "witness";

  @Option(
      names = "--dir",
      defaultValue = "witness",
      description = "Where its key, state and refusals live (default ${DEFAULT-VALUE}).")
  Path dir = Path.of("witness");

  @Option(
      names = "--interval",
      defaultValue = "PT5S",
      description = "Time between polls, ISO-8601 (default ${DEFAULT-VALUE}).")
  Duration interval = Duration.ofSeconds(5);

  @Option(names = "--once", description = "Poll once and exit (5 when the checkpoint was refused).")
  boolean once;

  @Option(
      names = "--print-key",
      description = "Print this witness's verifier key (for the log's witness list) and exit.")
  boolean printKey;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    String key =
        logKey.startsWith("@") ? Files.readString(Path.of(logKey.substring(1))).strip() : logKey;
    Witness witness;
    try {
      witness = Witness.open(dir, name, key);
    } catch (IllegalArgumentException e) {
      throw new DataPactException(ErrorKind.CONFIGURATION, "--log-key: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (printKey) {
      out.println(witness.verifierKey());
      return ExitCodes.OK;
    }
    while (true) {
      int code = poll(witness, out, err);
      if (once) {
        return code;
      }
      Thread.sleep(interval.toMillis());
    }
  }

  private int poll(Witness witness, PrintWriter out, PrintWriter err) throws Exception {
    String base = logUrl.replaceAll("/+$", "");
    JsonNode checkpoint;
    try {
      checkpoint = get(base + "/api/v1/ledger/checkpoint");
    } catch (IOException e) {
      err.println("cannot reach the log: " + e.getMessage());
      err.flush();
      return ExitCodes.UNAVAILABLE;
    }
    String note = checkpoint.path("note").asText();
    long size = checkpoint.path("size").asLong();
    List<byte[]> proof = new ArrayList<>();
    var from = witness.proofFrom();
    if (from.isPresent() && from.getAsLong() > 0 && from.getAsLong() < size) {
      JsonNode p =
          get(
              base
                  + "/api/v1/ledger/proofs/consistency?first="
                  + from.getAsLong()
                  + "&second="
                  + size);
      for (JsonNode h : p.path("proof")) {
        proof.add(Base64.getDecoder().decode(h.asText()));
      }
    }
    var outcome = witness.observe(note, proof, java.time.Instant.now().getEpochSecond());
    if (outcome instanceof Witness.Outcome.Refused r) {
      err.println("REFUSED checkpoint of size " + size + ": " + r.reason());
      err.flush();
      return REFUSED;
    }
    var cosigned = (Witness.Outcome.Cosigned) outcome;
    HttpResponse<String> posted =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/ledger/cosignatures"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        mapper.writeValueAsString(
                            Map.of("note", note, "cosignature", cosigned.cosignature()))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    out.println(
        "cosigned size "
            + size
            + (posted.statusCode() == 202
                ? " (accepted by the log)"
                : " (the log answered " + posted.statusCode() + ": " + posted.body() + ")"));
    out.flush();
    return ExitCodes.OK;
  }

  private JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(url + " answered " + r.statusCode());
    }
    return mapper.readTree(r.body());
  }
}
