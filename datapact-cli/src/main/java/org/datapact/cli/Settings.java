package org.datapact.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.jspecify.annotations.Nullable;

/**
 * The effective configuration, resolved in layers: built-in defaults, then a properties file
 * ({@code --config}, or {@code datapact.properties} in the working directory if present), then
 * environment variables {@code DATAPACT_<KEY>}, then command-line flags. Each value remembers where
 * it came from, and {@link #describe()} prints them with secrets masked.
 */
final class Settings {
  /** Keys whose values are never printed. */
  private static final Set<String> SECRET_KEYS =
      Set.of("db-password", "session-key", "oidc-client-secret");

  static final Map<String, String> DEFAULTS =
      Map.of(
          "data-dir", "data",
          "host", "127.0.0.1",
          "port", "8080",
          "log-format", "text");

  /** Every key a user may set, for validation of the file. */
  static final Set<String> KEYS =
      Set.of(
          "data-dir",
          "db-url",
          "db-user",
          "db-password",
          "host",
          "port",
          "session-key",
          "public-url",
          "oidc-issuer",
          "oidc-client-id",
          "oidc-client-secret",
          "oidc-role-claim",
          "oidc-user-claim",
          "oidc-party-claim",
          "log-format");

  record Value(String value, String source) {}

  private final Map<String, Value> values = new LinkedHashMap<>();

  private Settings() {}

  /**
   * @param configFile an explicit file, or null to use {@code datapact.properties} if it exists
   * @param env the environment
   * @param flags values given on the command line (null values are ignored)
   */
  static Settings resolve(
      @Nullable Path configFile, Map<String, String> env, Map<String, String> flags)
      throws DataPactException {
    Settings s = new Settings();
    DEFAULTS.forEach((k, v) -> s.values.put(k, new Value(v, "default")));
    Path file = configFile != null ? configFile : Path.of("datapact.properties");
    if (configFile != null || Files.isRegularFile(file)) {
      Properties props = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        props.load(r);
      } catch (IOException e) {
        throw new DataPactException(
            ErrorKind.CONFIGURATION, "cannot read config file `" + file + "`: " + e.getMessage());
      }
      for (String k : props.stringPropertyNames()) {
        if (!KEYS.contains(k)) {
          throw new DataPactException(
              ErrorKind.CONFIGURATION,
              "unknown key `"
                  + k
                  + "` in `"
                  + file
                  + "`; known keys: "
                  + String.join(", ", new java.util.TreeSet<>(KEYS)));
        }
        s.values.put(k, new Value(props.getProperty(k).strip(), "file " + file));
      }
    }
    for (String k : KEYS) {
      String name = "DATAPACT_" + k.toUpperCase(Locale.ROOT).replace('-', '_');
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        s.values.put(k, new Value(v.strip(), "env " + name));
      }
    }
    flags.forEach(
        (k, v) -> {
          if (v != null) {
            s.values.put(k, new Value(v, "flag --" + k));
          }
        });
    return s;
  }

  /**
   * @return the value of {@code key}, or null when unset
   */
  @Nullable String get(String key) {
    Value v = values.get(key);
    return v == null ? null : v.value();
  }

  /**
   * @return the value of {@code key}, which has a default: never unset
   */
  String required(String key) {
    String v = get(key);
    if (v == null) {
      throw new IllegalStateException(
          "setting `" + key + "` has no default"); // INVARIANT: defaults name every key used here
    }
    return v;
  }

  /**
   * @return the public URL, validated, or null when unset
   */
  java.net.@Nullable URI publicUrl() throws DataPactException {
    String u = get("public-url");
    if (u == null || u.isBlank()) {
      return null;
    }
    try {
      java.net.URI uri = new java.net.URI(u);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null
          || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
          || uri.getQuery() != null) {
        throw new java.net.URISyntaxException(u, "not an http(s) URL of a host");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION,
          "public-url `"
              + u
              + "` ("
              + sourceOf("public-url")
              + ") must be an http or https URL with a host and no path, e.g. `https://datapact.example.com`");
    }
  }

  /**
   * @return the OpenID Connect sign-in for {@code serve}, or null when {@code oidc-issuer} is unset
   * @throws DataPactException configuration, naming the setting, when it is incomplete or wrong
   */
  org.datapact.server.session.OidcFeature.@Nullable Settings oidc() throws DataPactException {
    String issuer = get("oidc-issuer");
    if (issuer == null || issuer.isBlank()) {
      return null;
    }
    java.net.URI base = publicUrl();
    if (base == null) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION,
          "oidc-issuer is set: set public-url too, the address the provider sends people back to");
    }
    try {
      java.net.URI issuerUri = new java.net.URI(issuer);
      if (!("https".equals(issuerUri.getScheme()) || "http".equals(issuerUri.getScheme()))) {
        throw new java.net.URISyntaxException(issuer, "not an http(s) URL");
      }
      String path = base.getPath() == null ? "" : base.getPath().replaceAll("/$", "");
      return new org.datapact.server.session.OidcFeature.Settings(
          issuerUri,
          orDefault("oidc-client-id", ""),
          orDefault("oidc-client-secret", ""),
          base.resolve(path + "/auth/oidc/callback"),
          orDefault("oidc-role-claim", "datapact_role"),
          orDefault("oidc-user-claim", "datapact_user"),
          orDefault("oidc-party-claim", "datapact_party"),
          "https".equals(base.getScheme()));
    } catch (java.net.URISyntaxException e) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION,
          "oidc-issuer `" + issuer + "` (" + sourceOf("oidc-issuer") + ") is not an http(s) URL");
    } catch (IllegalArgumentException e) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION,
          e.getMessage()
              + ": set oidc-client-id and oidc-client-secret (or DATAPACT_OIDC_CLIENT_SECRET)");
    }
  }

  private String orDefault(String key, String fallback) {
    String v = get(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  /**
   * @return where the setting {@code key} came from, for an error message
   */
  private String sourceOf(String key) {
    Value v = values.get(key);
    return v == null ? "unset" : v.source();
  }

  /**
   * @return whether {@code host} is a loopback address or name
   */
  static boolean isLoopback(@Nullable String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.equals("::1")
        || h.equals("[::1]")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  /**
   * @return the port, validated
   */
  int port() throws DataPactException {
    String p = get("port");
    try {
      int port = Integer.parseInt(p);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION,
          "port `" + p + "` (" + sourceOf("port") + ") must be a number from 0 to 65535");
    }
  }

  /**
   * @return one {@code key = value (source)} line per setting, secrets masked
   */
  String describe() {
    StringBuilder sb = new StringBuilder();
    values.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              String shown =
                  SECRET_KEYS.contains(e.getKey())
                      ? "****"
                      : e.getKey().equals("db-url")
                          ? org.datapact.store.StoreConfig.redact(e.getValue().value())
                          : e.getValue().value();
              sb.append(e.getKey())
                  .append(" = ")
                  .append(shown)
                  .append("  (")
                  .append(e.getValue().source())
                  .append(")\n");
            });
    return sb.toString();
  }
}
