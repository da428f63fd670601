package org.datapact.server.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.datapact.core.DataPactException;
import org.datapact.core.party.PartnerIds;
import org.datapact.core.party.PartyId;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.log.LogFormat;
import org.datapact.server.oauth.AccessTokens;
import org.datapact.store.policy.OdrlCodec;

/**
 * Fuzz targets for the decoders that read what outsiders send or store: the ODRL importer, the
 * signed-note parser, the ledger's record reader, the partner-id decoder and the access-token
 * parser. Each may refuse its input only in the way its contract says (a domain error, an {@link
 * IllegalArgumentException}, an empty result); anything else that escapes is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} each target runs the committed inputs under {@code
 * src/test/resources/org/datapact/server/fuzz/DecoderFuzzTestInputs/} as regression tests; with
 * {@code JAZZER_FUZZ=1} it fuzzes (docs/testing.md).
 */
class DecoderFuzzTest {
  private static final OdrlCodec ODRL = new OdrlCodec();
  private static final java.security.KeyPair KEYS = Notes.generateKeyPair();
  private static final byte[] RAW_KEY = Notes.rawPublicKey(KEYS.getPublic());
  private static final PartnerIds IDS = new PartnerIds(new byte[32]);
  private static final AccessTokens TOKENS = new AccessTokens(new byte[32], Clock.systemUTC());
  private static final Path RECORD;

  static {
    try {
      RECORD = Files.createTempFile("fuzz-record", ".log");
      RECORD.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void odrlImporter(FuzzedDataProvider data) {
    try {
      ODRL.fromJson(data.consumeRemainingAsString(), "fuzz", 1);
    } catch (DataPactException expected) {
      // a refusal naming the term is the contract
    }
  }

  @FuzzTest(maxDuration = "30s")
  void signedNoteParser(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      Notes.verify(text, "node-1", RAW_KEY);
    } catch (IllegalArgumentException expected) {
      // not a note signed by this key
    }
    try {
      Notes.parseVerifierKey(text);
    } catch (IllegalArgumentException expected) {
      // not a verifier key
    }
  }

  @FuzzTest(maxDuration = "30s")
  void ledgerRecordReader(FuzzedDataProvider data) throws IOException {
    long offset = data.consumeLong(0, 64);
    byte[] bytes = data.consumeRemainingAsBytes();
    try (FileChannel ch =
        FileChannel.open(
            RECORD,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(bytes));
      byte[] record = LogFormat.readRecord(ch, offset);
      if (record != null && record.length > bytes.length) {
        throw new IllegalStateException("a record longer than its file");
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void partnerIdDecoder(FuzzedDataProvider data) {
    String partner = data.pickValue(new String[] {"streamflix", "tunely", "seekr"});
    String id = data.consumeRemainingAsString();
    IDS.resolve(PartyId.of(partner), id)
        .ifPresent(
            user -> {
              if (!IDS.of(PartyId.of(partner), user).equals(id)) {
                throw new IllegalStateException("a decoded id that does not encode back: " + id);
              }
            });
  }

  @FuzzTest(maxDuration = "30s")
  void accessTokenParser(FuzzedDataProvider data) {
    try {
      TOKENS.verify(data.consumeRemainingAsString());
    } catch (DataPactException expected) {
      // unauthenticated
    }
  }
}
