package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.datapact.core.user.UserId;
import org.datapact.server.TestServer;
import org.junit.jupiter.api.Test;

class SubjectIndexRebuildTest {
  private static List<Long> indexes(List<ObjectNode> entries) {
    return entries.stream().map(e -> e.get("index").asLong()).toList();
  }

  @Test
  void rebuildsAUsersViewFromTheLogWhenTheIndexIsLost() throws Exception {
    try (TestServer server = TestServer.demo()) {
      var dave = server.session();
      dave.login("dave");
      assertThat(dave.put("/api/v1/me/consents/streamflix/recommendations").statusCode())
          .isEqualTo(200);
      for (int i = 0; i < 3; i++) {
        assertThat(
                server
                    .postWithToken(
                        server.token("ads"),
                        "/api/v1/decisions",
                        "{\"subject\":4,\"scope\":\"data.use\",\"purpose\":\"ad_targeting\"}")
                    .statusCode())
            .isEqualTo(200);
      }
      server.context.audit().flushIndex();
      List<Long> before =
          indexes(server.context.audit().entriesOf(UserId.of(4), Long.MAX_VALUE, 100));
      assertThat(before)
          .hasSizeGreaterThanOrEqualTo(4)
          .isSortedAccordingTo(java.util.Comparator.reverseOrder());

      server.context.audit().close();
      Path file = LedgerService.subjectIndexFile(server.ledger.directory());
      Files.delete(file);
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".heads"));

      try (AuditTrail rebuilt = new AuditTrail(server.ledger, server.db, server.context.mapper())) {
        rebuilt.flushIndex(); // waits for the catch-up from the log
        assertThat(indexes(rebuilt.entriesOf(UserId.of(4), Long.MAX_VALUE, 100))).isEqualTo(before);
        assertThat(indexes(rebuilt.entriesOf(UserId.of(4), before.get(1), 2)))
            .isEqualTo(before.subList(2, 4));
      }
    }
  }
}
