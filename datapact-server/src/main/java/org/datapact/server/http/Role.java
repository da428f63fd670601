package org.datapact.server.http;

import io.javalin.security.RouteRole;
import java.util.Locale;

/**
 * Who may call a route. Every route names at least one role; {@link #PUBLIC} must be named
 * explicitly, so a route without roles is a mistake the server refuses to start with.
 */
public enum Role implements RouteRole {
  /** Anyone, signed in or not. */
  PUBLIC,
  /** A signed-in user (data subject). */
  USER,
  /** A partner's staff member in the console. */
  PARTNER,
  /** A platform operator. */
  OPERATOR,
  /** A regulator or auditor. */
  REGULATOR,
  /** An internal unit's service, authenticated with OAuth2 client credentials. */
  UNIT,
  /** A partner's application, authenticated with OAuth2 client credentials. */
  PARTNER_APP;

  /**
   * @return the lowercase wire name
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @return the role with this wire name
   */
  public static Role fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
