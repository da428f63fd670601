package org.datapact.ledger.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The crash tests' child JVM: runs a {@code main} on this test class path, which prints {@code
 * ready ...} and then an {@code ack ...} line for each thing it has made durable, and kills it with
 * SIGKILL (no shutdown hook, no close, no flush) once it has acknowledged enough.
 */
public final class KilledChild {
  private KilledChild() {}

  /**
   * @param onAck given each {@code ack} line, without the {@code "ack "} prefix, including those
   *     the child printed before the kill took effect
   * @param what names the round in assertion messages
   * @return the acknowledgements read
   */
  public static long run(
      Class<?> main, long killAfterAcks, Consumer<String> onAck, String what, String... args)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String[] command = new String[args.length + 4];
    command[0] = java;
    command[1] = "-cp";
    command[2] = System.getProperty("java.class.path");
    command[3] = main.getName();
    System.arraycopy(args, 0, command, 4, args.length);
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).as(what).startsWith("ready ");
    long acks = 0;
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("ack ")) {
        onAck.accept(line.substring(4));
        if (++acks == killAfterAcks) {
          child.toHandle().destroyForcibly();
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as(what).isTrue();
    return acks;
  }
}
