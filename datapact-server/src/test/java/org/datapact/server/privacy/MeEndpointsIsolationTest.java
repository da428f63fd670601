package org.datapact.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import org.datapact.server.DataPactServer;
import org.datapact.server.DemoServerTest;
import org.datapact.server.TestServer;
import org.datapact.server.http.Route;
import org.junit.jupiter.api.Test;

/**
 * Every {@code /api/v1/me} read the server serves, asked with bob's session about what is alice's
 * (her receipt's and her entry's indexes in the path): none answers anything of hers. The list of
 * endpoints comes from the server's own routes, so a new {@code /me} endpoint is covered the day it
 * is added.
 */
class MeEndpointsIsolationTest extends DemoServerTest {

  @Test
  void oneUserNeverReadsAnotherUsersHistoryReceiptsEvidenceOrExport() throws Exception {
    var alice = server.session();
    alice.login("alice");
    var granted = alice.put("/api/v1/me/consents/tunely/recommendations");
    long receipt = TestServer.json(granted).get("ledgerIndex").asLong();
    var read = server.partnerReadsProfile("streamflix", 1);
    long entry = Long.parseLong(read.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow());
    server.context.audit().flushIndex();
    server.awaitCheckpointCovering(Math.max(entry, receipt));

    // alice herself sees them: the markers below are hers
    assertThat(alice.get("/api/v1/me/receipts/" + receipt).statusCode()).isEqualTo(200);
    assertThat(alice.get("/api/v1/me/ledger/" + entry + "/evidence").statusCode()).isEqualTo(200);

    var bob = server.session();
    bob.login("bob");
    List<String> checked = new ArrayList<>();
    for (Route r : DataPactServer.routes(server.context)) {
      if (r.method() != HandlerType.GET || !r.path().startsWith("/api/v1/me")) {
        continue;
      }
      for (long index : new long[] {receipt, entry}) {
        String path = r.path().replace("{index}", Long.toString(index));
        var answer = bob.get(path);
        checked.add(path + " " + answer.statusCode());
        assertThat(answer.statusCode()).as(path).isIn(200, 404);
        assertThat(answer.body())
            .as(path)
            // (alice's name may appear: she is bob's friend, and his friends list is his)
            .doesNotContain("\"personal\":{\"user\":1")
            .doesNotContain(
                "\"userId\":1,\"handle\":\"alice\",\"displayName\":\"Alice Martin\",\"country\"")
            .doesNotContain("user:1\"")
            .doesNotContain("\"index\":" + entry + ",")
            .doesNotContain("\"ledgerIndex\":" + receipt + ",");
      }
    }
    assertThat(checked)
        .as("the /me reads checked")
        .anyMatch(c -> c.startsWith("/api/v1/me/receipts/" + receipt + " 404"))
        .anyMatch(c -> c.startsWith("/api/v1/me/ledger/" + entry + "/evidence 404"))
        .anyMatch(c -> c.startsWith("/api/v1/me/export"))
        .anyMatch(c -> c.startsWith("/api/v1/me/history"));
  }
}
