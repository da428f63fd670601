package org.datapact.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tar Jib built in this module's build ({@code target/jib-image.tar}), checked from its
 * own manifest and configuration: the entrypoint runs DataPact's CLI on the image's own Java
 * runtime, as a non-root user, serving on port 8080; then its layers are unpacked into a root file
 * system and the entrypoint is run there as that user (chroot, as CI runs as root): the image
 * starts.
 */
class ImageTarTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path TAR = Path.of("target", "jib-image.tar");

  @TempDir static Path unpacked;

  private static JsonNode manifest;
  private static JsonNode config;

  @BeforeAll
  static void unpack() throws Exception {
    assertThat(TAR).as("built by jib:buildTar in process-test-classes").isRegularFile();
    run(List.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", unpacked.toString()));
    manifest = MAPPER.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
    config =
        MAPPER.readTree(unpacked.resolve(manifest.get("Config").asText()).toFile()).get("config");
  }

  @Test
  void entrypointRunsTheCliOnTheImagesOwnRuntime() {
    List<String> entrypoint = new ArrayList<>();
    config.get("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
    assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
    assertThat(entrypoint).contains("@/app/jib-classpath-file").endsWith("org.datapact.cli.Main");
    assertThat(config.get("Cmd").get(0).asText()).isEqualTo("serve");
    assertThat(manifest.get("RepoTags").get(0).asText()).startsWith("datapact:");
  }

  @Test
  void runsAsANonRootUser() {
    String user = config.get("User").asText();
    assertThat(user).isNotBlank();
    String uid = user.split(":")[0];
    assertThat(uid).isNotIn("0", "root");
    assertThat(Integer.parseInt(uid)).isPositive();
  }

  @Test
  void servesOnPort8080OnEveryInterface() {
    assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
    List<String> env = new ArrayList<>();
    config.get("Env").forEach(e -> env.add(e.asText()));
    assertThat(env)
        .contains("DATAPACT_PORT=8080", "DATAPACT_HOST=0.0.0.0", "DATAPACT_DATA_DIR=/data");
    assertThat(config.get("Volumes").has("/data")).isTrue();
  }

  @Test
  void theImageStartsAsItsUserFromItsLayersAlone() throws Exception {
    Path root = unpacked.resolve("rootfs");
    Files.createDirectories(root);
    for (JsonNode layer : manifest.get("Layers")) {
      run(
          List.of(
              "tar", "-xzf", unpacked.resolve(layer.asText()).toString(), "-C", root.toString()));
    }
    assertThat(root.resolve("app/jib-classpath-file")).isRegularFile();
    assertThat(Files.isExecutable(root.resolve("opt/java/bin/java"))).isTrue();
    assertThat(root.resolve("etc/passwd")).content().contains(":65532:65532:");

    boolean root0 = "0".equals(run(List.of("id", "-u")).strip());
    if (!root0) {
      String why = "running the image's file system needs chroot, i.e. root (as CI runs)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why + ": not root with CI=true");
      }
      System.err.println("SKIPPED: " + why);
      Assumptions.abort(why);
    }
    // the loader finds the runtime's libraries through /proc/self/exe, as in a container
    Files.createDirectories(root.resolve("proc"));
    run(List.of("mount", "-t", "proc", "proc", root.resolve("proc").toString()));
    try {
      List<String> command =
          new ArrayList<>(
              List.of("chroot", "--userspec=" + config.get("User").asText(), root.toString()));
      config.get("Entrypoint").forEach(a -> command.add(a.asText()));
      command.add("version");
      String out = run(command);
      assertThat(out).startsWith("datapact ").contains("java 17");
    } finally {
      run(List.of("umount", "-l", root.resolve("proc").toString()));
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
