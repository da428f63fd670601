package org.datapact.server.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What the server accepts at its edge, before any route: the host names a request may address (a
 * {@code Host} outside them is refused, so a DNS-rebound name cannot reach a server bound to
 * loopback), and the public URL that links and cookies are made for.
 *
 * @param publicUrl the URL people and partners reach the server at (links in recommendations point
 *     there; an {@code https} URL makes the session cookie {@code Secure}), or null when it is the
 *     bound address
 * @param allowedHosts the host names (without port, lowercase) a request's {@code Host} may name
 */
public record EdgePolicy(@Nullable URI publicUrl, Set<String> allowedHosts) {
  /** The loopback names, always allowed. */
  public static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

  /** Validates and copies. */
  public EdgePolicy {
    if (publicUrl != null
        && (publicUrl.getHost() == null
            || !("http".equals(publicUrl.getScheme()) || "https".equals(publicUrl.getScheme())))) {
      throw new IllegalArgumentException(
          "the public URL `" + publicUrl + "` must be an http or https URL with a host");
    }
    TreeSet<String> hosts = new TreeSet<>(LOOPBACK);
    allowedHosts.forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
    if (publicUrl != null) {
      hosts.add(publicUrl.getHost().toLowerCase(Locale.ROOT));
    }
    allowedHosts = Set.copyOf(hosts);
  }

  /**
   * @return the policy of a server reached on loopback only
   */
  public static EdgePolicy loopback() {
    return new EdgePolicy(null, Set.of());
  }

  /**
   * @param publicUrl the public URL, or null
   * @param bindHost the address the server listens on: a specific one may be named in {@code Host}
   *     too (a wildcard such as {@code 0.0.0.0} adds nothing)
   * @return the policy of a server bound to {@code bindHost} and reached at {@code publicUrl}
   */
  public static EdgePolicy bound(@Nullable URI publicUrl, String bindHost) {
    boolean wildcard =
        bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]");
    String name =
        bindHost.contains(":") && !bindHost.startsWith("[")
            ? "[" + bindHost + "]"
            : bindHost; // IPv6 as in `Host`
    return new EdgePolicy(publicUrl, wildcard ? Set.of() : Set.of(name));
  }

  /**
   * @return whether the session cookie must be {@code Secure}
   */
  public boolean secureCookies() {
    return publicUrl != null && "https".equals(publicUrl.getScheme());
  }
}
