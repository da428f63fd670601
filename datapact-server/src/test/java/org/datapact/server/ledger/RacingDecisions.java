package org.datapact.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.datapact.server.TestServer;

/** Decisions asked from several threads while something else changes the policy they decide on. */
public final class RacingDecisions {
  private RacingDecisions() {}

  /** What runs while the decisions are asked. */
  @FunctionalInterface
  public interface Meanwhile {
    void run() throws Exception;
  }

  /**
   * Asks {@code POST /api/v1/decisions} with {@code body} as {@code unit} on {@code server} from 4
   * threads until {@code meanwhile} returns.
   *
   * @return the ledger index of every decision answered
   */
  public static List<Long> decideWhile(
      TestServer server, String unit, String body, Meanwhile meanwhile) throws Exception {
    String token = server.token(unit);
    Queue<Long> indexes = new ConcurrentLinkedQueue<>();
    AtomicBoolean going = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> deciders = new ArrayList<>();
    try {
      for (int t = 0; t < 4; t++) {
        deciders.add(
            pool.submit(
                () -> {
                  while (going.get()) {
                    var r = server.postWithToken(token, "/api/v1/decisions", body);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    indexes.add(
                        Long.parseLong(
                            r.headers().firstValue("X-DataPact-Ledger-Index").orElseThrow()));
                  }
                  return null;
                }));
      }
      meanwhile.run();
    } finally {
      going.set(false);
      for (var d : deciders) {
        d.get();
      }
      pool.shutdown();
    }
    return List.copyOf(indexes);
  }
}
