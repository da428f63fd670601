package org.datapact.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem document, served as {@code application/problem+json}.
 *
 * @param type stable URI naming the kind of problem, {@code urn:datapact:problem:<slug>}
 * @param title short summary of the kind
 * @param status HTTP status
 * @param detail what was wrong in this request and what to do
 * @param instance the request path
 * @param decision for a refusal of the decision point, the decision (an RFC 9457 extension member);
 *     absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    @Nullable Object decision) {
  /** A problem without extension members. */
  public Problem(String type, String title, int status, String detail, String instance) {
    this(type, title, status, detail, instance, null);
  }

  /** The media type of problem documents. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** The prefix of every problem type. */
  public static final String TYPE_PREFIX = "urn:datapact:problem:";
}
