package org.datapact.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BufferedConsoleAppenderTest {
  private final PrintStream original = System.out;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private LoggerContext context;
  private BufferedConsoleAppender appender;

  @BeforeEach
  void captureStandardOutput() {
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStandardOutput() {
    if (appender != null) {
      appender.stop();
    }
    System.setOut(original);
  }

  private Logger logger(long flushMillis) {
    context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%-5level %msg%n");
    encoder.start();
    appender = new BufferedConsoleAppender();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setFlushMillis(flushMillis);
    appender.start();
    Logger log = context.getLogger("test");
    log.addAppender(appender);
    return log;
  }

  private String console() {
    return console.toString(StandardCharsets.UTF_8);
  }

  @Test
  void holdsInfoLinesUntilTheBufferIsWrittenOutAndWarningsAtOnce() {
    Logger log = logger(3_600_000);
    log.info("request one");
    log.info("request two");
    assertThat(console()).isEmpty();
    log.warn("the ledger is slow");
    assertThat(console())
        .isEqualTo("INFO  request one\nINFO  request two\nWARN  the ledger is slow\n");
    log.info("request three");
    appender.stop();
    appender = null;
    assertThat(console()).endsWith("WARN  the ledger is slow\nINFO  request three\n");
    System.out.println("standard output stays open");
    assertThat(console()).endsWith("standard output stays open\n");
  }

  @Test
  void writesInfoLinesOutWithinTheFlushInterval() throws Exception {
    Logger log = logger(20);
    log.info("request one");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (console().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(console()).isEqualTo("INFO  request one\n");
  }

  @Test
  void refusesAFlushIntervalBelowOneMillisecond() {
    context = new LoggerContext();
    appender = new BufferedConsoleAppender();
    appender.setContext(context);
    appender.setFlushMillis(0);
    appender.start();
    assertThat(appender.isStarted()).isFalse();
  }
}
