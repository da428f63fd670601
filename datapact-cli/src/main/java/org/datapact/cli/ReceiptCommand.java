package org.datapact.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.server.http.Json;
import org.datapact.server.privacy.ConsentReceipts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code datapact receipt verify}: checks a consent receipt with the receipts public key alone (the
 * JWK of {@code GET /api/v1/ledger/receipt-key}), offline. Exit 0 when it verifies, 5 when it does
 * not.
 */
@Command(
    name = "receipt",
    mixinStandardHelpOptions = true,
    description = "Work with consent receipts.",
    subcommands = {ReceiptCommand.Verify.class})
final class ReceiptCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "choose a receipt command: verify");
  }

  /** Verifies one receipt. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check a consent receipt (compact JWS) with the receipts public key, offline.",
        "Exit 0 when it verifies, 5 when it does not."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECEIPT", description = "The receipt (.jws) file.")
    Path receipt = Path.of("");

    @Option(
        names = "--key",
        required = true,
        paramLabel = "FILE",
        description = "The receipts public key as a JWK (GET /api/v1/ledger/receipt-key).")
    Path key = Path.of("");

    @Override
    public Integer call() throws DataPactException {
      OctetKeyPair jwk;
      String jws;
      try {
        jwk = JWK.parse(Files.readString(key, StandardCharsets.UTF_8)).toOctetKeyPair();
        jws = Files.readString(receipt, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new DataPactException(ErrorKind.CONFIGURATION, "cannot read: " + e.getMessage());
      } catch (java.text.ParseException | ClassCastException e) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION, "`" + key + "` is not an Ed25519 JWK: " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      String claims;
      try {
        claims = ConsentReceipts.verify(jws, jwk);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("datapact: receipt does NOT verify: " + e.getMessage());
        return ExitCodes.VERIFICATION_FAILED;
      }
      try {
        JsonNode c = Json.newMapper().readTree(claims);
        JsonNode purpose = c.path("services").path(0).path("purposes").path(0);
        out.printf(
            "receipt verified: %s %s to %s by %s at %s, ledger entry %s (%s)%n",
            c.path("dp:action").asText(),
            purpose.path("purpose").asText(),
            c.path("services").path(0).path("service").asText(),
            c.path("piiPrincipalId").asText(),
            java.time.Instant.ofEpochSecond(c.path("consentTimestamp").asLong()),
            c.path("dp:ledgerIndex").asText(),
            c.path("consentReceiptID").asText());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        spec.commandLine().getErr().println("datapact: the receipt's claims are not JSON");
        return ExitCodes.VERIFICATION_FAILED;
      }
      return ExitCodes.OK;
    }
  }
}
