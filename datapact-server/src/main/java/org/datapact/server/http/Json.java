package org.datapact.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.util.stream.Collectors;
import org.datapact.core.DataPactException;

/** The one JSON configuration of the server, and request-body parsing with precise errors. */
public final class Json {
  private Json() {}

  /**
   * @return a mapper that rejects unknown fields and values of the wrong shape (no string for a
   *     list, no number for a string) and writes ISO-8601 times
   */
  public static ObjectMapper newMapper() {
    ObjectMapper m = new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Textual)
        .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
        .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
    m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Collection)
        .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.String, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
    return m;
  }

  /**
   * Reads the request body as {@code type}.
   *
   * @throws DataPactException invalid-input naming the field and the problem when the body is
   *     empty, not JSON, has an unknown field or a value of the wrong type
   */
  public static <T> T body(Context ctx, ObjectMapper mapper, Class<T> type) throws DataPactException {
    String body = ctx.body();
    if (body.isBlank()) {
      throw DataPactException.invalid("the request needs a JSON body");
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw DataPactException.invalid("the request body must be a JSON object, not `null`");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw DataPactException.invalid("unknown field `" + e.getPropertyName() + "`; known fields: "
          + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
    } catch (JsonMappingException e) {
      String where = e.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."));
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
      String what = cause != null ? cause.getMessage() : e.getOriginalMessage().lines().findFirst().orElse("invalid value");
      throw DataPactException.invalid(where.isEmpty() ? "invalid request body: " + what
          : "invalid value for `" + where + "`: " + what);
    } catch (JsonProcessingException e) {
      throw DataPactException.invalid("the request body is not valid JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse("parse error")
          + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    }
  }
}
