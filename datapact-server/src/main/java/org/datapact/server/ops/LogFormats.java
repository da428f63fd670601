package org.datapact.server.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.slf4j.LoggerFactory;

/**
 * The log's format on standard output: {@code text} (one line per event with key=value pairs, as
 * {@code logback.xml} sets it) or {@code json} (Logback's own {@link JsonEncoder}: one JSON object
 * per line, the key-value pairs — route, status, trace and span ids — in its {@code kvpList}), for
 * a log shipper that reads JSON.
 */
public final class LogFormats {
  private LogFormats() {}

  /**
   * Switches the root logger's stream appenders (the console) to {@code format}.
   *
   * @throws DataPactException a configuration error for a format other than text or json
   */
  public static void use(String format) throws DataPactException {
    if (!format.equals("text") && !format.equals("json")) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION, "log-format must be text or json, got `" + format + "`");
    }
    if (format.equals("text")
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    var appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
    while (appenders.hasNext()) {
      if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.start();
        out.setEncoder(json);
      }
    }
  }
}
