package org.datapact.server.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.jspecify.annotations.Nullable;

/**
 * Serves the routes declared with a {@link CoreHandler} on Jetty's core API, ahead of Javalin's
 * servlet, and passes every other request on to it. These are the partner API's reads, answered
 * asynchronously once their ledger entry is durable: on the servlet path each call cost 10–20 µs of
 * the server's CPU more (the servlet's async state machine, Javalin's context and its future, and
 * almost twice the thread switches), and the partner load reached a third of its plain peer's rate
 * instead of two fifths (docs/benchmarks.md).
 *
 * <p>A body sent with a GET to these routes is not read (Jetty discards it, or closes the
 * connection when it cannot). A POST's body is read without holding a thread, after the access
 * check and before its handler runs; one over the largest accepted size is refused with 413 (read
 * and discarded up to {@link EdgeGuard#DRAIN_LIMIT_BYTES}, as the servlet path does).
 *
 * <p>It keeps what Javalin gives the other routes: the same access check ({@link AccessControl}),
 * problem documents ({@link ProblemMapper}), request log and timers ({@link RequestLog}), path
 * parameters matched on the raw path and then decoded, a trailing slash ignored, and 405 for
 * another method on a route's path.
 */
public final class CoreRoutes extends Handler.Wrapper {
  private final List<Compiled> routes = new ArrayList<>();
  private final AccessControl access;
  private final ProblemMapper problems;
  private final RequestLog log;
  private final long maxBody;

  private record Compiled(Route route, String[] segments) {}

  /**
   * @param routes the core routes (those with {@link Route#core()})
   * @param maxBody the largest request body accepted, in bytes
   */
  public CoreRoutes(
      List<Route> routes,
      AccessControl access,
      ProblemMapper problems,
      RequestLog log,
      long maxBody) {
    for (Route r : routes) {
      if (r.core() == null) {
        throw new IllegalArgumentException(
            "route " + r.method() + " `" + r.path() + "` is not a core route");
      }
      this.routes.add(new Compiled(r, r.path().substring(1).split("/")));
    }
    this.access = access;
    this.problems = problems;
    this.log = log;
    this.maxBody = maxBody;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long started = System.nanoTime();
    String raw = request.getHttpURI().getPath();
    Compiled match = null;
    Map<String, String> params = null;
    for (Compiled c : routes) {
      params = match(c.segments(), raw);
      if (params != null) {
        match = c;
        break;
      }
    }
    if (match == null || params == null) {
      return super.handle(request, response, callback);
    }
    Route route = match.route();
    String path =
        raw; // as Javalin's ctx.path(): the problem's `instance` and the log show the path as sent
    @Nullable Fields query = null;
    @Nullable DataPactException early = null;
    try {
      query = Request.extractQueryParameters(request);
    } catch (RuntimeException e) {
      early = DataPactException.invalid("the query string is not valid URL encoding");
    }
    CoreExchange x =
        new CoreExchange(
            request, response, callback, route, path, params, query, problems, log, started);
    if (!route.method().name().equals(request.getMethod())) {
      Problem p =
          ProblemMapper.of(
              405, "method " + request.getMethod() + " is not allowed on `" + path + "`", path);
      x.respond(405, Problem.MEDIA_TYPE, problems.bytes(p));
      return true;
    }
    try {
      x.caller(
          access.check(
              route.roles(),
              request.getHeaders().get(HttpHeader.AUTHORIZATION),
              () -> sessionCookie(request),
              path,
              () ->
                  response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, AccessControl.CHALLENGE)));
      if (early != null) {
        throw early;
      }
      CoreHandler core = route.core();
      if (core == null) {
        throw new IllegalStateException(
            "route `"
                + route.path()
                + "` has no core handler"); // INVARIANT: only core routes are compiled here
      }
      if (route.method() == io.javalin.http.HandlerType.POST) {
        readThen(request, x, core);
      } else {
        core.handle(x);
      }
    } catch (Throwable t) {
      x.fail(t);
    }
    return true;
  }

  /** Reads a POST's body in full, without blocking, then runs its handler. */
  private void readThen(Request request, CoreExchange x, CoreHandler core)
      throws DataPactException {
    long length = request.getLength();
    if (length > maxBody) {
      DataPactException tooLarge = tooLarge(length);
      if (length <= EdgeGuard.DRAIN_LIMIT_BYTES) {
        // read and discarded first, so that the 413 reaches a client still sending
        org.eclipse.jetty.io.Content.Source.consumeAll(
            request, Callback.from(() -> x.fail(tooLarge), e -> x.fail(tooLarge)));
        return;
      }
      throw tooLarge;
    }
    var unused =
        org.eclipse.jetty.io.Content.Source.asByteArrayAsync(request, (int) maxBody)
            .whenComplete(
                (bytes, e) -> {
                  if (e != null) {
                    // without a length, the read fails when the body outgrows the limit (a client
                    // gone mid-body also lands here; its answer reaches nobody)
                    x.fail(
                        length < 0
                            ? tooLarge(length)
                            : DataPactException.invalid("the request body could not be read"));
                    return;
                  }
                  try {
                    x.body(bytes);
                    core.handle(x);
                  } catch (Throwable t) {
                    x.fail(t);
                  }
                });
  }

  /**
   * @param length the body's declared length, or -1 when it came without one
   */
  private DataPactException tooLarge(long length) {
    String size = length < 0 ? "larger than " + maxBody + " bytes" : length + " bytes";
    return new DataPactException(
        org.datapact.core.ErrorKind.PAYLOAD_TOO_LARGE,
        "the request body is " + size + "; at most " + maxBody + " are accepted");
  }

  /**
   * @return the decoded parameters when {@code raw} matches the template's segments, else null
   */
  static @Nullable Map<String, String> match(String[] segments, @Nullable String raw) {
    if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
      return null;
    }
    int end =
        raw.length() > 1 && raw.charAt(raw.length() - 1) == '/' ? raw.length() - 1 : raw.length();
    int at = 1;
    Map<String, String> params = null;
    for (int i = 0; i < segments.length; i++) {
      if (at > end) {
        return null;
      }
      int slash = raw.indexOf('/', at);
      int stop = slash < 0 || slash > end ? end : slash;
      String s = segments[i];
      if (s.startsWith("{")) {
        if (stop == at) {
          return null; // an empty parameter
        }
        if (params == null) {
          params = new HashMap<>(4);
        }
        String v = raw.substring(at, stop);
        params.put(s.substring(1, s.length() - 1), v.indexOf('%') < 0 ? v : decode(v));
      } else if (stop - at != s.length() || !raw.startsWith(s, at)) {
        return null;
      }
      at = stop + 1;
    }
    return at > end ? (params == null ? Map.of() : params) : null;
  }

  private static String decode(String v) {
    try {
      return URIUtil.decodePath(v);
    } catch (RuntimeException e) {
      return v; // not valid percent-encoding: the handler refuses it as it is
    }
  }

  private static @Nullable String sessionCookie(Request request) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (AccessControl.SESSION_COOKIE.equals(c.getName())) {
        return c.getValue();
      }
    }
    return null;
  }
}
