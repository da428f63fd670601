package org.datapact.server.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP route of the API: method, path (Javalin syntax, {@code {param}}), who may call it and
 * what handles it. Features contribute routes; the server registers them and the OpenAPI test
 * checks that {@code openapi.json} documents exactly these.
 *
 * <p>A route is handled either through Javalin ({@code handler}) or on Jetty's core API ahead of it
 * ({@code core}, see {@link CoreRoutes}); exactly one of the two is set.
 *
 * @param method HTTP method
 * @param path path template
 * @param roles who may call; never empty
 * @param handler the Javalin handler, or null for a core route
 * @param core the core handler, or null for a Javalin route
 */
public record Route(
    HandlerType method,
    String path,
    Set<Role> roles,
    @Nullable Handler handler,
    @Nullable CoreHandler core) {
  /** Validates that the route names its callers and one handler. */
  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    if ((handler == null) == (core == null)) {
      throw new IllegalArgumentException(
          "route " + method + " `" + path + "` needs exactly one handler");
    }
    roles = Set.copyOf(roles);
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("route " + method + " `" + path + "` names no role");
    }
  }

  /**
   * @return a GET route
   */
  public static Route get(String path, Handler handler, Role... roles) {
    return new Route(HandlerType.GET, path, Set.of(roles), handler, null);
  }

  /**
   * @return a GET route served on Jetty's core API by {@link CoreRoutes}
   */
  public static Route coreGet(String path, CoreHandler handler, Role... roles) {
    return new Route(HandlerType.GET, path, Set.of(roles), null, handler);
  }

  /**
   * @return a POST route served on Jetty's core API by {@link CoreRoutes}, its body read without
   *     holding a thread ({@link CoreExchange#body})
   */
  public static Route corePost(String path, CoreHandler handler, Role... roles) {
    return new Route(HandlerType.POST, path, Set.of(roles), null, handler);
  }

  /**
   * @return a POST route
   */
  public static Route post(String path, Handler handler, Role... roles) {
    return new Route(HandlerType.POST, path, Set.of(roles), handler, null);
  }

  /**
   * @return a DELETE route
   */
  public static Route delete(String path, Handler handler, Role... roles) {
    return new Route(HandlerType.DELETE, path, Set.of(roles), handler, null);
  }
}
