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
    ObjectMapper m =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Textual)
        .setCoercion(
            com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
            com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
        .setCoercion(
            com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float,
            com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
    m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Collection)
        .setCoercion(
            com.fasterxml.jackson.databind.cfg.CoercionInputShape.String,
            com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
    return m;
  }

  /**
   * Reads the request body as {@code type}.
   *
   * @throws DataPactException invalid-input naming the field and the problem when the body is
   *     empty, not JSON, has an unknown field or a value of the wrong type
   */
  public static <T> T body(Context ctx, ObjectMapper mapper, Class<T> type)
      throws DataPactException {
    return parse(ctx.body(), ctx.contentType(), mapper, type);
  }

  /**
   * Reads a request body sent with {@code contentType} as {@code type}: what {@link #body} does for
   * a request, as a function of its text (fuzzed by {@code DecisionBodyFuzzTest}).
   *
   * @throws DataPactException unsupported-media-type unless it is JSON; invalid-input naming the
   *     field and the problem when the body is empty, not JSON, has an unknown field or a value of
   *     the wrong type
   */
  public static <T> T parse(
      String body,
      @org.jspecify.annotations.Nullable String contentType,
      ObjectMapper mapper,
      Class<T> type)
      throws DataPactException {
    String media =
        contentType == null
            ? ""
            : contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
    if (!media.equals("application/json")) {
      // INVARIANT: a JSON body is read only when sent as JSON: a cross-site form (text/plain,
      // form-encoded)
      // cannot pass for one
      throw new DataPactException(
          org.datapact.core.ErrorKind.UNSUPPORTED_MEDIA_TYPE,
          "send the body as `application/json`, got `"
              + (contentType == null ? "no Content-Type" : contentType)
              + "`");
    }
    if (body == null || body.isBlank()) {
      throw DataPactException.invalid("the request needs a JSON body");
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw DataPactException.invalid("the request body must be a JSON object, not `null`");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw DataPactException.invalid(
          "unknown field `"
              + e.getPropertyName()
              + "`; known fields: "
              + e.getKnownPropertyIds().stream()
                  .map(String::valueOf)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    } catch (JsonMappingException e) {
      String where =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."));
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
      String original = e.getOriginalMessage();
      String what =
          cause != null && cause.getMessage() != null
              ? cause.getMessage()
              : original == null
                  ? "invalid value"
                  : original.lines().findFirst().orElse("invalid value");
      throw DataPactException.invalid(
          where.isEmpty()
              ? "invalid request body: " + what
              : "invalid value for `" + where + "`: " + what);
    } catch (JsonProcessingException e) {
      String original = e.getOriginalMessage();
      throw DataPactException.invalid(
          "the request body is not valid JSON: "
              + (original == null
                  ? "parse error"
                  : original.lines().findFirst().orElse("parse error"))
              + (e.getLocation() == null
                  ? ""
                  : " at line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()));
    }
  }
}
