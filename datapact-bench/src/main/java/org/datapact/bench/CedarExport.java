package org.datapact.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the decision benchmark's Cedar policies and requests (with DataPact's expected effect for
 * each) for the cedar-wasm run in Node.js, so the wasm engine decides exactly the requests and
 * policies the JMH run used. Usage: {@code CedarExport <out-dir> [users] [versions]}.
 */
public final class CedarExport {
  private CedarExport() {}

  /** Writes {@code policies.cedar} and {@code requests.json}. */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int users = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int versions = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    DecisionFixture f = new DecisionFixture(users, versions, 42);
    CasbinPeer attributes = new CasbinPeer(f);
    CedarPeer cedar = new CedarPeer(f, attributes);
    Files.createDirectories(out);
    Files.writeString(out.resolve("policies.cedar"), cedar.policiesText());
    List<Map<String, Object>> requests = new ArrayList<>();
    for (int i = 0; i < f.mix.length; i++) {
      Map<String, Object> r = new java.util.LinkedHashMap<>(cedar.requestsJson().get(i));
      r.put("expected", f.snapshot.decide(f.mix[i]).allowed() ? "allow" : "deny");
      requests.add(r);
    }
    new ObjectMapper().writeValue(out.resolve("requests.json").toFile(), requests);
    System.out.println(
        "wrote "
            + requests.size()
            + " requests and "
            + cedar.policies.getNumPolicies()
            + " policies to "
            + out);
  }
}
