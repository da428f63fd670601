package org.datapact.ledger.log;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process {@link CrashTest} kills: opens the log, prints {@code ready}, then appends from
 * several threads until it dies, printing {@code ack <index> <entry>} for every acknowledged entry
 * — only after its future completed, i.e. only once it is durable.
 */
public final class CrashChild {
  private CrashChild() {}

  /** Args: log dir, round number, appender threads. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String round = args[1];
    int threads = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    DurableLog log = DurableLog.open(dir, 4096);
    out.println("ready " + log.size());
    AtomicLong seq = new AtomicLong();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                while (true) {
                  String entry = "r" + round + "-" + seq.incrementAndGet();
                  try {
                    long index = log.append(entry.getBytes(StandardCharsets.UTF_8)).get();
                    synchronized (out) {
                      out.println("ack " + index + " " + entry);
                    }
                  } catch (LedgerBusyException e) {
                    Thread.onSpinWait();
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      th.start();
    }
    Thread.currentThread().join(); // run until killed
  }
}
