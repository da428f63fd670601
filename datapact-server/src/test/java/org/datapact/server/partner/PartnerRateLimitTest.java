package org.datapact.server.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.datapact.core.agreement.AgreementRecord;
import org.datapact.core.agreement.AgreementVersion;
import org.datapact.core.agreement.Constraints;
import org.datapact.core.agreement.Permission;
import org.datapact.core.party.PartyId;
import org.datapact.core.policy.Scope;
import org.datapact.server.TestServer;
import org.datapact.server.ledger.LedgerEntries;
import org.junit.jupiter.api.Test;

/**
 * The agreement's rate limit over real HTTP: a token bucket per partner, 429 with Retry-After, and
 * the refusal recorded.
 */
class PartnerRateLimitTest {

  /**
   * @return the demo agreements with streamflix's profile permission limited to {@code limit}
   */
  private static List<AgreementRecord> withProfileLimit(
      List<AgreementRecord> records, Constraints.RateLimit limit) {
    return records.stream()
        .map(
            r -> {
              AgreementVersion t = r.terms();
              List<Permission> permissions =
                  t.permissions().stream()
                      .map(
                          p ->
                              p.scope() == Scope.PROFILE_BASIC
                                      && p.assignee().equals(PartyId.of("streamflix"))
                                  ? new Permission(
                                      p.id(),
                                      p.assignee(),
                                      p.scope(),
                                      p.purposes(),
                                      p.constraints().withRateLimit(limit))
                                  : p)
                      .toList();
              return new AgreementRecord(
                  new AgreementVersion(
                      t.agreementId(),
                      t.version(),
                      t.counterparty(),
                      t.title(),
                      t.effectiveFrom(),
                      t.effectiveUntil(),
                      permissions,
                      t.prohibitions(),
                      t.duties()),
                  r.history());
            })
        .toList();
  }

  @Test
  void aPartnerOverItsAgreementsRateLimitGets429WithRetryAfterAndTheRefusalIsInTheLedger()
      throws Exception {
    try (TestServer server = TestServer.demo()) {
      server
          .context
          .decisions()
          .applyAgreements(
              withProfileLimit(
                  server.context.decisions().snapshot().agreements(),
                  new Constraints.RateLimit(2, Duration.ofMinutes(1))));
      String token = server.token("streamflix");
      String path =
          "/api/v1/users/" + server.partnerId("streamflix", 1) + "/profile?purpose=recommendations";

      for (int i = 0; i < 2; i++) {
        HttpResponse<String> ok = server.getWithToken(token, path);
        assertThat(ok.statusCode()).as("call %d: %s", i + 1, ok.body()).isEqualTo(200);
      }
      HttpResponse<String> limited = server.getWithToken(token, path);

      assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Content-Type"))
          .hasValueSatisfying(c -> assertThat(c).startsWith("application/problem+json"));
      // one token comes back every 30 s at 2 a minute
      long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 30L);
      JsonNode problem = TestServer.json(limited);
      assertThat(problem.get("type").asText()).isEqualTo("urn:datapact:problem:rate-limited");
      assertThat(problem.has("displayName")).isFalse();
      long index =
          Long.parseLong(limited.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
      JsonNode entry =
          LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(index));
      assertThat(entry.get("effect").asText()).isEqualTo("deny");
      assertThat(entry.get("reasons").toString()).contains("rate_limited");

      // another partner's bucket is its own: seekr is denied for want of an agreement, never
      // rate-limited
      HttpResponse<String> other = server.partnerReadsProfile("seekr", 1);
      assertThat(other.statusCode()).as(other.body()).isNotEqualTo(429);
    }
  }

  @Test
  void everyUserAConnectionsPageReleasesCountsAgainstTheLimit() throws Exception {
    try (TestServer server = TestServer.demo()) {
      server
          .context
          .decisions()
          .applyAgreements(
              withProfileLimit(
                  server.context.decisions().snapshot().agreements(),
                  new Constraints.RateLimit(5, Duration.ofMinutes(1))));
      String token = server.token("streamflix");
      HttpResponse<String> first =
          server.getWithToken(token, "/api/v1/connections?purpose=recommendations&limit=20");
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      JsonNode page = TestServer.json(first);
      assertThat(page.get("data")).as("a page ends where the bucket runs dry").hasSize(5);
      assertThat(page.get("next").isNull()).isFalse();
      HttpResponse<String> next =
          server.getWithToken(
              token,
              "/api/v1/connections?purpose=recommendations&limit=20&cursor="
                  + page.get("next").asText());
      assertThat(next.statusCode()).as(next.body()).isEqualTo(429);
      assertThat(next.headers().firstValue("Retry-After")).isPresent();
      long index =
          Long.parseLong(next.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
      assertThat(
              LedgerEntries.parse(server.context.mapper(), server.ledger.log().entry(index))
                  .get("reasons")
                  .toString())
          .contains("rate_limited");
    }
  }
}
