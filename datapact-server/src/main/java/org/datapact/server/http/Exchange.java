package org.datapact.server.http;

import io.javalin.http.Context;
import java.util.Optional;
import org.datapact.server.session.Caller;
import org.jspecify.annotations.Nullable;

/**
 * One request and its response as a feature's code sees them, whichever path serves it: a Javalin
 * {@link Context} ({@link #of}) or Jetty's core API ({@link CoreExchange}, for the partner API's
 * reads). Only what handlers shared between the two need.
 */
public interface Exchange {
  /**
   * @return the request path as sent (not decoded), as problem documents and the log show it
   */
  String path();

  /**
   * @return the HTTP method, e.g. {@code GET}
   */
  String method();

  /**
   * @return the matched route's path template, e.g. {@code /api/v1/users/{userId}/friends}
   */
  String route();

  /**
   * @return the decoded path parameter {@code name} of the matched route
   */
  @Nullable String pathParam(String name);

  /**
   * @return the first value of query parameter {@code name}, or null
   */
  @Nullable String queryParam(String name);

  /**
   * @return the verified caller, if any
   */
  Optional<Caller> caller();

  /** Sets a response header. */
  void header(String name, String value);

  /**
   * Answers with {@code body} of {@code contentType} (the request is done once this returns or
   * completes).
   */
  void respond(int status, String contentType, byte[] body);

  /**
   * @return an exchange over a Javalin request
   */
  static Exchange of(Context ctx) {
    return new Exchange() {
      @Override
      public String path() {
        return ctx.path();
      }

      @Override
      public String method() {
        return ctx.method().name();
      }

      @Override
      public String route() {
        return ctx.endpoints().matchedHttpEndpoint().path;
      }

      @Override
      public String pathParam(String name) {
        return ctx.pathParam(name);
      }

      @Override
      public @Nullable String queryParam(String name) {
        return ctx.queryParam(name);
      }

      @Override
      public Optional<Caller> caller() {
        return AccessControl.caller(ctx);
      }

      @Override
      public void header(String name, String value) {
        ctx.header(name, value);
      }

      @Override
      public void respond(int status, String contentType, byte[] body) {
        ctx.status(status).contentType(contentType).result(body);
      }
    };
  }
}
