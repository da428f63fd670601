package org.datapact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every {@code bash} block of docs/partner-quickstart.md, verbatim and in order, against a
 * real {@code datapact demo} process, as a reader would.
 */
class PartnerQuickstartTest {
  @TempDir Path tmp;

  static List<String> bashBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  @Timeout(180)
  void theQuickstartRunsVerbatimAgainstTheDemo() throws Exception {
    Path doc = Path.of("..", "docs", "partner-quickstart.md");
    List<String> blocks = bashBlocks(Files.readString(doc));
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = tmp.resolve("demo.log");
    Process demo =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "demo",
                "--users",
                "300",
                "--port",
                "0",
                "--data-dir",
                tmp.resolve("data").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      String url = null;
      Pattern running = Pattern.compile("DataPact demo is running at (http://\\S+?)/?\\s");
      for (int i = 0; i < 1200 && url == null; i++) {
        Matcher m = running.matcher(Files.exists(log) ? Files.readString(log) : "");
        if (m.find()) {
          url = m.group(1);
        } else {
          assertThat(demo.isAlive())
              .as(Files.exists(log) ? Files.readString(log) : "no output")
              .isTrue();
          Thread.sleep(100);
        }
      }
      assertThat(url).as("the demo started").isNotNull();
      Path script = tmp.resolve("quickstart.sh");
      Files.writeString(script, String.join("\n", blocks));
      ProcessBuilder pb =
          new ProcessBuilder("bash", script.toString())
              .directory(tmp.toFile())
              .redirectErrorStream(true);
      pb.environment().put("DATAPACT", url);
      Process run = pb.start();
      String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as(out).isZero();
      assertThat(out)
          .contains(
              "\"access_token\"",
              "\"scope\":\"activity.write friends.list inbox.read messages.send profile.basic\"")
          .containsPattern("(?i)x-datapact-ledger-index: \\d+")
          .contains(
              "\"displayName\"",
              "\"sent\"",
              "\"recommendations\"",
              "403",
              "special_consent_missing");
    } finally {
      demo.destroy();
      demo.waitFor(30, TimeUnit.SECONDS);
      demo.destroyForcibly();
    }
  }
}
