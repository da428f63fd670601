package org.datapact.server.http;

import java.util.Map;

/**
 * A failure that knows more of its problem document than its kind: a refusal of the decision point
 * names its own type and carries its decision and receipt headers. {@link ProblemMapper} still
 * writes it: it asks the failure, and nothing else writes a refusal.
 */
public interface ProblemSource {
  /**
   * @return the problem document of this failure of the request to {@code path}
   */
  Problem problem(String path);

  /**
   * @return headers the response carries besides {@code Retry-After} (which the mapper sets)
   */
  Map<String, String> headers();
}
