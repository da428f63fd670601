package org.datapact.server.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.impl.BaseJWSProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.datapact.core.consent.ConsentChange;
import org.datapact.ledger.checkpoint.Notes;
import org.datapact.ledger.checkpoint.SigningKeys;

/**
 * Consent receipts: each recorded grant or revocation rendered with the fields of the Kantara
 * Consent Receipt Specification v1.1 (adapted: the service is the party consented to, the PII
 * categories are what a purpose covers under DataPact's vocabulary, the receipt names the ledger
 * entry that recorded the change) and signed as a compact JWS with Ed25519 ({@code alg: EdDSA}, RFC
 * 8037) under the receipts key published beside the ledger's. The same change always gives the same
 * receipt (Ed25519 is deterministic and every claim comes from the record), so a receipt can be
 * downloaded again at any time, and anyone holding the public key can check it.
 *
 * <p>Nimbus builds and parses the JWS; the signature is the JDK's Ed25519, through the small signer
 * and verifier below (Nimbus's own Ed25519 classes need Google Tink).
 */
public final class ConsentReceipts {
  /** The JWS {@code typ} of a receipt. */
  public static final String TYPE = "kantara-cr+jws";

  private final SigningKeys keys;
  private final String controller;
  private final ObjectMapper mapper;

  /** The PII controller every receipt names. */
  public static final String CONTROLLER = "DataPact platform";

  /**
   * @param keys the receipts key
   * @param controller the PII controller's name, e.g. {@link #CONTROLLER}
   */
  public ConsentReceipts(SigningKeys keys, String controller, ObjectMapper mapper) {
    this.keys = keys;
    this.controller = controller;
    this.mapper = mapper;
  }

  /**
   * @return the public key as a JWK (RFC 8037 {@code OKP}, {@code Ed25519}) with its key id
   */
  public OctetKeyPair publicJwk() {
    return publicJwk(keys);
  }

  /**
   * @return the public JWK of {@code keys}
   */
  public static OctetKeyPair publicJwk(SigningKeys keys) {
    return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(keys.rawPublicKey()))
        .keyID(keyId(keys.rawPublicKey()))
        .build();
  }

  /**
   * @return the key id: the first 8 bytes of SHA-256 of the raw public key, hex
   */
  static String keyId(byte[] rawPublicKey) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(rawPublicKey);
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e); // INVARIANT: every JDK has it
    }
  }

  /**
   * @param ledgerIndex the entry that recorded the change
   * @param jurisdiction the rule set of the user's country
   * @param categories the PII categories the purpose covers, in wire form
   * @return the signed receipt, compact JWS
   */
  public String issue(
      ConsentChange c, long ledgerIndex, String jurisdiction, List<String> categories) {
    Map<String, Object> purpose = new LinkedHashMap<>();
    purpose.put("purpose", c.topic().wire());
    purpose.put("purposeCategory", List.of(c.topic().wire()));
    purpose.put("consentType", c.basis().wire());
    purpose.put("piiCategory", categories);
    purpose.put("primaryPurpose", true);
    purpose.put(
        "termination",
        !c.granted()
            ? "revoked"
            : c.expiresAt() == null ? "until revoked" : "expires " + c.expiresAt());
    purpose.put("thirdPartyDisclosure", !c.party().value().equals("platform"));
    purpose.put("thirdPartyName", c.party().value());
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("service", c.party().value());
    service.put("purposes", List.of(purpose));
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("version", "KI-CR-v1.1.0");
    claims.put("jurisdiction", jurisdiction);
    claims.put("consentTimestamp", c.at().getEpochSecond());
    claims.put("collectionMethod", c.source());
    claims.put(
        "consentReceiptID",
        UUID.nameUUIDFromBytes(
                (keyId(keys.rawPublicKey()) + "/" + ledgerIndex).getBytes(StandardCharsets.UTF_8))
            .toString());
    claims.put("language", "en");
    claims.put("piiPrincipalId", "user:" + c.user().value());
    claims.put("piiControllers", List.of(Map.of("piiController", controller)));
    claims.put("policyUrl", "/#/agreements");
    claims.put("services", List.of(service));
    claims.put("sensitive", false);
    claims.put("spiCat", List.of());
    claims.put("dp:action", c.granted() ? "grant" : "revoke");
    claims.put("dp:ledgerIndex", ledgerIndex);
    try {
      JWSObject jws =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                  .keyID(keyId(keys.rawPublicKey()))
                  .type(new JOSEObjectType(TYPE))
                  .build(),
              new Payload(mapper.writeValueAsString(claims)));
      jws.sign(new Ed25519Signer(keys.pair().getPrivate()));
      return jws.serialize();
    } catch (JOSEException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot sign a consent receipt", e);
    }
  }

  /**
   * Checks a receipt with the public key alone.
   *
   * @param jwk the receipts key as a JWK ({@code OKP}, {@code Ed25519}; a private part is ignored)
   * @return the receipt's claims as JSON
   * @throws IllegalArgumentException naming what does not hold: the form, the algorithm, the key or
   *     the signature
   */
  public static String verify(String jws, OctetKeyPair jwk) {
    JWSObject parsed;
    try {
      parsed = JWSObject.parse(jws.strip());
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a compact JWS: " + e.getMessage(), e);
    }
    if (!JWSAlgorithm.EdDSA.equals(parsed.getHeader().getAlgorithm())) {
      throw new IllegalArgumentException(
          "the receipt is signed with `" + parsed.getHeader().getAlgorithm() + "`, not EdDSA");
    }
    if (!Curve.Ed25519.equals(jwk.getCurve())) {
      throw new IllegalArgumentException("the key is not an Ed25519 key");
    }
    String kid = parsed.getHeader().getKeyID();
    if (kid != null && jwk.getKeyID() != null && !kid.equals(jwk.getKeyID())) {
      throw new IllegalArgumentException(
          "the receipt names key `" + kid + "`, the key given is `" + jwk.getKeyID() + "`");
    }
    try {
      if (!parsed.verify(new Ed25519Verifier(Notes.publicKey(jwk.getX().decode())))) {
        throw new IllegalArgumentException("the signature does not verify under this key");
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the signature cannot be checked: " + e.getMessage(), e);
    }
    return parsed.getPayload().toString();
  }

  /** Ed25519 through the JDK, as a Nimbus signer. */
  private static final class Ed25519Signer extends BaseJWSProvider implements JWSSigner {
    private final PrivateKey key;

    Ed25519Signer(PrivateKey key) {
      super(Set.of(JWSAlgorithm.EdDSA));
      this.key = key;
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(signingInput);
        return Base64URL.encode(s.sign());
      } catch (GeneralSecurityException e) {
        throw new JOSEException("Ed25519 signing failed: " + e.getMessage(), e);
      }
    }
  }

  /** Ed25519 through the JDK, as a Nimbus verifier. */
  private static final class Ed25519Verifier extends BaseJWSProvider implements JWSVerifier {
    private final PublicKey key;

    Ed25519Verifier(PublicKey key) {
      super(Set.of(JWSAlgorithm.EdDSA));
      this.key = key;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature)
        throws JOSEException {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(signingInput);
        return s.verify(signature.decode());
      } catch (java.security.SignatureException e) {
        return false;
      } catch (GeneralSecurityException e) {
        throw new JOSEException("Ed25519 verification failed: " + e.getMessage(), e);
      }
    }
  }
}
