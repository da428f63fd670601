package org.datapact.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code datapact version}: the version of DataPact and of the Java runtime. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public Integer call() {
    String java = System.getProperty("java.version");
    if (json) {
      spec.commandLine().getOut().printf("{\"version\":\"%s\",\"java\":\"%s\"}%n", version(), java);
    } else {
      spec.commandLine().getOut().printf("datapact %s (java %s)%n", version(), java);
    }
    return ExitCodes.OK;
  }

  /** Feeds {@code datapact --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"datapact " + version()};
    }
  }
}
