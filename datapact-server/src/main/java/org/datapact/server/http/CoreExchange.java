package org.datapact.server.http;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.datapact.server.session.Caller;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * A request served by {@link CoreRoutes} on Jetty's core API, and its one answer: {@link #respond}
 * or {@link #fail}, from whichever thread, exactly once (a later one is ignored). The answer is
 * written without blocking and recorded in the {@link RequestLog} like Javalin's.
 */
public final class CoreExchange implements Exchange {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final Route route;
  private final String path;
  private final Map<String, String> params;
  private final @Nullable Fields query;
  private final ProblemMapper problems;
  private final RequestLog log;
  private final long started;
  private final AtomicBoolean answered = new AtomicBoolean();
  private volatile @Nullable Caller caller;
  private volatile byte[] body = new byte[0];

  CoreExchange(
      Request request,
      Response response,
      Callback callback,
      Route route,
      String path,
      Map<String, String> params,
      @Nullable Fields query,
      ProblemMapper problems,
      RequestLog log,
      long started) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.route = route;
    this.path = path;
    this.params = params;
    this.query = query;
    this.problems = problems;
    this.log = log;
    this.started = started;
  }

  void caller(@Nullable Caller c) {
    this.caller = c;
  }

  void body(byte[] b) {
    this.body = b;
  }

  /**
   * @return the request body as UTF-8 text: read in full before a POST's handler runs, empty for a
   *     GET
   */
  public String body() {
    return new String(body, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * @return the request's {@code Content-Type}, or null
   */
  public @Nullable String contentType() {
    return request.getHeaders().get(HttpHeader.CONTENT_TYPE);
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String route() {
    return route.path();
  }

  @Override
  public @Nullable String pathParam(String name) {
    return params.get(name);
  }

  @Override
  public @Nullable String queryParam(String name) {
    return query == null ? null : query.getValue(name);
  }

  @Override
  public Optional<Caller> caller() {
    return Optional.ofNullable(caller);
  }

  @Override
  public void header(String name, String value) {
    response.getHeaders().put(name, value);
  }

  @Override
  public void respond(int status, String contentType, byte[] body) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(body), callback);
    log.record(
        request.getMethod(),
        path,
        route.path(),
        status,
        (System.nanoTime() - started) / 1e6,
        caller,
        response.getHeaders().get(Trace.HEADER));
  }

  /**
   * Answers a failure as a problem document: a domain failure with its status, anything else as a
   * 500 naming an incident whose trace is only in the log.
   */
  public void fail(Throwable t) {
    Throwable cause =
        t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause()
            : t;
    Problem p = problems.problem(cause, path, this::header);
    respond(p.status(), Problem.MEDIA_TYPE, problems.bytes(p));
  }
}
