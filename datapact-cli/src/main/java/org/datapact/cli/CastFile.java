package org.datapact.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.world.Cast;

/**
 * Writes {@code <data-dir>/demo/cast.json}: who to sign in as, what each person demonstrates, and
 * the demo OAuth2 client credentials. The same cast always gives the same bytes (fixed field order,
 * two-space indent, {@code \n} line ends), and the file is replaced atomically.
 */
final class CastFile {
  private CastFile() {}

  static Path write(Cast cast, Path dataDir) throws DataPactException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put(
        "about",
        "DataPact demo cast. Demo credentials only: never use them outside `datapact demo`.");
    root.put("seed", cast.seed());
    root.put("users", cast.userCount());
    root.put("generatorVersion", cast.generatorVersion());
    root.put("people", people(cast));
    root.put(
        "clients",
        cast.clients().stream()
            .map(
                c -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("party", c.party().value());
                  m.put("kind", c.kind().wireName());
                  m.put("clientId", c.clientId());
                  m.put("clientSecret", c.clientSecret().revealForHashingOrDisplayOnce());
                  return m;
                })
            .toList());
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    Path dir = dataDir.resolve("demo");
    Path file = dir.resolve("cast.json");
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "cast", ".tmp");
      byte[] bytes = new ObjectMapper().writer(printer).writeValueAsBytes(root);
      Files.write(tmp, bytes);
      Files.write(tmp, new byte[] {'\n'}, java.nio.file.StandardOpenOption.APPEND);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new DataPactException(
          ErrorKind.CONFIGURATION, "cannot write `" + file + "`: " + e.getMessage(), e);
    }
  }

  private static List<Map<String, Object>> people(Cast cast) {
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    // each cast member's id as each partner sees it (the partner API never shows user ids)
    org.datapact.core.party.PartnerIds partnerIds =
        org.datapact.core.world.DemoWorldGenerator.partnerIds(cast.seed());
    for (Cast.User u : cast.users()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("handle", u.handle());
      m.put("role", "user");
      m.put("userId", u.userId());
      m.put("displayName", u.displayName());
      m.put("country", u.country());
      m.put("demonstrates", u.demonstrates());
      Map<String, Object> ids = new LinkedHashMap<>();
      for (Cast.Client c : cast.clients()) {
        if (c.kind() == org.datapact.core.party.PartyKind.PARTNER) {
          ids.put(
              c.party().value(),
              partnerIds.of(c.party(), org.datapact.core.user.UserId.of(u.userId())));
        }
      }
      m.put("partnerIds", ids);
      out.add(m);
    }
    for (Cast.Staff s : cast.staff()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("handle", s.handle());
      m.put("role", s.role().wireName());
      if (s.party() != null) {
        m.put("party", s.party().value());
      }
      m.put("displayName", s.displayName());
      m.put("demonstrates", s.demonstrates());
      out.add(m);
    }
    return out;
  }
}
