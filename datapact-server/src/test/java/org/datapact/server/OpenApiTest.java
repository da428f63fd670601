package org.datapact.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Keeps openapi.json true: it documents exactly the routes the server registers. */
class OpenApiTest {
  @Test
  void documentsExactlyTheRoutesTheServerServes() throws Exception {
    try (TestServer server = TestServer.demo()) {
      var r = server.session().get("/openapi.json");
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode doc = new ObjectMapper().readTree(r.body());
      assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");

      Set<String> documented = new TreeSet<>();
      for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
        String path = paths.next();
        for (Iterator<String> methods = doc.get("paths").get(path).fieldNames();
            methods.hasNext(); ) {
          String method = methods.next();
          if (!method.equals("parameters")) {
            documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
          }
        }
      }
      Set<String> served = new TreeSet<>();
      DataPactServer.routes(server.context)
          .forEach(route -> served.add(route.method().name() + " " + route.path()));
      assertThat(documented).isEqualTo(served);
    }
  }

  @Test
  void everyReferencedSchemaExists() throws Exception {
    try (var in = getClass().getResourceAsStream("/openapi.json")) {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      JsonNode doc = new ObjectMapper().readTree(text);
      var m =
          java.util.regex.Pattern.compile("\"#/components/(schemas|responses)/([A-Za-z]+)\"")
              .matcher(text);
      while (m.find()) {
        assertThat(doc.at("/components/" + m.group(1) + "/" + m.group(2)).isMissingNode())
            .as(m.group())
            .isFalse();
      }
    }
  }

  @Test
  void theServedDocumentPassesAnOutsideOpenApiValidatorWithUniqueOperationIds() throws Exception {
    try (TestServer server = TestServer.demo()) {
      String body = server.session().get("/openapi.json").body();
      var options = new io.swagger.v3.parser.core.models.ParseOptions();
      options.setResolve(true);
      var result = new io.swagger.v3.parser.OpenAPIV3Parser().readContents(body, null, options);
      assertThat(result.getMessages()).as("swagger-parser's findings").isEmpty();
      assertThat(result.getOpenAPI()).isNotNull();
      java.util.List<String> ids = new java.util.ArrayList<>();
      result
          .getOpenAPI()
          .getPaths()
          .values()
          .forEach(item -> item.readOperations().forEach(op -> ids.add(op.getOperationId())));
      assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
    }
  }
}
