package org.datapact.server.http;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The server's edge: the first handler every request meets, ahead of {@link CoreRoutes} and
 * Javalin. It refuses, before any route runs:
 *
 * <ul>
 *   <li>a {@code Host} outside the {@link EdgePolicy}'s names (421): a page on another site that
 *       rebinds its DNS name to 127.0.0.1 reaches the socket but not the routes;
 *   <li>any {@code X-HTTP-Method-Override} (or {@code X-HTTP-Method}, {@code X-Method-Override})
 *       header (400): the method is the request line's, nothing else;
 *   <li>a state change (POST, PUT, PATCH, DELETE) that a browser could send cross-site: one that
 *       carries the session cookie, or signs in, without a same-origin {@code Origin} or {@code
 *       Sec-Fetch-Site: same-origin} (403). Bearer-token and client-credential calls carry no
 *       ambient authority and are not affected.
 * </ul>
 *
 * <p>Every response carries the security headers: a Content-Security-Policy that allows only the
 * server's own scripts, styles and connections and no framing, {@code Referrer-Policy}, {@code
 * X-Content-Type-Options} and {@code X-Frame-Options}.
 */
public final class EdgeGuard extends Handler.Wrapper {
  /** The Content-Security-Policy of every response. */
  public static final String CSP =
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
          + "form-action 'self'; frame-ancestors 'none'";

  private static final String[] OVERRIDES = {
    "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"
  };

  private final EdgePolicy policy;
  private final ProblemMapper problems;

  /**
   * @param policy which hosts are served
   * @param problems writes the refusals
   */
  public EdgeGuard(EdgePolicy policy, ProblemMapper problems) {
    this.policy = policy;
    this.problems = problems;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    var h = response.getHeaders();
    h.put("Content-Security-Policy", CSP);
    h.put("Referrer-Policy", "no-referrer");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("X-Frame-Options", "DENY");
    // W3C Trace Context: continue the caller's trace (or start one) with a span of our own; the
    // request log line carries both ids, and the answer carries the header on
    h.put(Trace.HEADER, Trace.child(request.getHeaders().get(Trace.HEADER)));
    String path = request.getHttpURI().getPath();
    String host = hostOf(request.getHeaders().get(HttpHeader.HOST));
    if (host == null || !policy.allowedHosts().contains(host)) {
      return refuse(
          request,
          response,
          callback,
          421,
          "misdirected-request",
          "Misdirected request",
          "this server does not answer for the host `"
              + abbreviate(request.getHeaders().get(HttpHeader.HOST))
              + "`; use "
              + (policy.publicUrl() != null ? policy.publicUrl() : "127.0.0.1 or localhost"),
          path);
    }
    for (String o : OVERRIDES) {
      if (request.getHeaders().contains(o)) {
        return refuse(
            request,
            response,
            callback,
            400,
            "method-override-refused",
            "Method override refused",
            "the `" + o + "` header is not accepted: send the method in the request line",
            path);
      }
    }
    String method = request.getMethod();
    if (!"GET".equals(method)
        && !"HEAD".equals(method)
        && !"OPTIONS".equals(method)
        && browserAuthority(request, path)
        && !sameOrigin(request)) {
      return refuse(
          request,
          response,
          callback,
          403,
          "cross-origin-refused",
          "Cross-origin request refused",
          "a signed-in state change must come from this site's own pages (a same-origin `Origin` header)",
          path);
    }
    return super.handle(request, response, callback);
  }

  /**
   * Whether the request acts with a browser's ambient authority: the session cookie, or signing in.
   */
  private static boolean browserAuthority(Request request, String path) {
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    if (path.startsWith("/api/v1/session")) {
      return true;
    }
    for (HttpField f : request.getHeaders()) {
      if (f.getHeader() == HttpHeader.COOKIE
          && f.getValue() != null
          && f.getValue().contains(AccessControl.SESSION_COOKIE + "=")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the request comes from this site's own pages: its {@code Origin} is the {@code Host} it
   * addressed.
   */
  private static boolean sameOrigin(Request request) {
    String site = request.getHeaders().get("Sec-Fetch-Site");
    if ("same-origin".equals(site)) {
      return true;
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin == null || origin.equals("null")) {
      return false;
    }
    try {
      URI o = URI.create(origin);
      String expected = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
      return ("http".equals(o.getScheme()) || "https".equals(o.getScheme()))
          && o.getHost() != null
          && o.getPath() != null
          && o.getPath().isEmpty()
          && expected.equalsIgnoreCase(request.getHeaders().get(HttpHeader.HOST));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * @return the lowercase host name of a {@code Host} header without its port, or null when
   *     malformed
   */
  static @Nullable String hostOf(@Nullable String hostHeader) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return null;
    }
    String h = hostHeader.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  /**
   * Writes a refusal. A body of up to {@link #DRAIN_LIMIT_BYTES} is read and discarded first (as
   * {@code DataPactServer} does for a 413), so that a client that sent {@code Expect:
   * 100-continue}, or is still uploading, gets the answer instead of a reset; a larger or unsized
   * one is left unread and the connection is closed.
   */
  private boolean refuse(
      Request request,
      Response response,
      Callback callback,
      int status,
      String slug,
      String title,
      String detail,
      String path) {
    Problem p = new Problem(Problem.TYPE_PREFIX + slug, title, status, detail, path);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    ByteBuffer body = ByteBuffer.wrap(problems.bytes(p));
    long length = request.getLength();
    if (length > 0 && length <= DRAIN_LIMIT_BYTES) {
      org.eclipse.jetty.io.Content.Source.consumeAll(
          request,
          Callback.from(
              () -> response.write(true, body, callback),
              x -> {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                response.write(true, body, callback);
              }));
      return true;
    }
    if (length != 0) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.write(true, body, callback);
    return true;
  }

  /** The largest body read and discarded before a refusal (the server's 413 uses the same). */
  public static final long DRAIN_LIMIT_BYTES = 1024 * 1024;
}
