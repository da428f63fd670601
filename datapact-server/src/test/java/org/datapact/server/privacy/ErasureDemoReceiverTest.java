package org.datapact.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * In the demo the whole loop runs in one process: each demo partner's receiver checks the signed
 * deletion request and confirms; an unsigned request to it is refused.
 */
class ErasureDemoReceiverTest extends DemoServerTest {
  @Test
  void theDemosOwnPartnerReceiverConfirmsASignedRequestAndRefusesAnUnsignedOne() throws Exception {
    var read = server.partnerReadsProfile("streamflix", 1);
    assertThat(read.statusCode()).isEqualTo(200);
    server.context.audit().flushIndex();
    var alice = server.session();
    alice.login("alice");
    assertThat(alice.post("/api/v1/me/erasure", "{}").statusCode()).isEqualTo(200);
    JsonNode status = null;
    for (int i = 0; i < 100; i++) {
      status = TestServer.json(alice.get("/api/v1/me/erasure"));
      if (status.size() > 0 && status.get(0).get("status").asText().equals("confirmed")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(status.get(0).get("partner").asText()).isEqualTo("streamflix");
    assertThat(status.get(0).get("status").asText()).isEqualTo("confirmed");
    assertThat(status.get(0).get("confirmation").asText()).startsWith("streamflix-");

    var unsigned =
        server
            .session()
            .post("/demo/partners/streamflix/erasure", "{\"type\":\"erasure_request\"}");
    assertThat(unsigned.statusCode()).isEqualTo(401);
  }
}
