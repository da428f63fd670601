package org.datapact.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base for HTTP tests that share one demo-mode server per test class. */
public abstract class DemoServerTest {
  protected static TestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.demo();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
