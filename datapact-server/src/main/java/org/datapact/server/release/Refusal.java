package org.datapact.server.release;

import org.datapact.core.DataPactException;
import org.datapact.core.ErrorKind;
import org.datapact.core.decision.ReasonCode;
import org.datapact.server.http.Problem;
import org.datapact.server.http.ProblemSource;

/**
 * A release the decision point denied, after its decision was made durable in the ledger: the
 * exception a feature lets go, carrying its decision, which {@code ProblemMapper} alone turns into
 * a 403 (or a 429 with {@code Retry-After}, for a rate limit) with the decision and its receipt.
 */
public final class Refusal extends DataPactException implements ProblemSource {
  private static final long serialVersionUID = 1L;

  private final transient ReleasePipeline.Decided decided;
  private final transient ReleasePipeline.Receipt receipt;

  Refusal(ReleasePipeline.Decided decided, ReleasePipeline.Receipt receipt) {
    super(
        decided.decision().hasReason(ReasonCode.RATE_LIMITED)
            ? ErrorKind.RATE_LIMITED
            : ErrorKind.FORBIDDEN,
        detail(decided, receipt));
    this.decided = decided;
    this.receipt = receipt;
  }

  private static String detail(ReleasePipeline.Decided x, ReleasePipeline.Receipt receipt) {
    var r = x.request();
    return (x.decision().hasReason(ReasonCode.RATE_LIMITED)
            ? "the agreement's rate limit is reached; retry after " + x.retryAfterSeconds() + " s"
            : "the decision point denied `"
                + r.scope().wire()
                + "` for `"
                + r.purpose().wire()
                + "`")
        + "; this decision is ledger entry "
        + receipt.ledgerIndex();
  }

  /**
   * @return the denied decision with its request
   */
  public ReleasePipeline.Decided decided() {
    return decided;
  }

  /**
   * @return the receipt of its durable entry
   */
  public ReleasePipeline.Receipt receipt() {
    return receipt;
  }

  /**
   * @return the decision as the problem document carries it
   */
  public DecisionAnswer decision() {
    return DecisionAnswer.of(receipt.decisionId(), decided.decision());
  }

  @Override
  public Problem problem(String path) {
    boolean limited = kind() == ErrorKind.RATE_LIMITED;
    return new Problem(
        Problem.TYPE_PREFIX + (limited ? "rate-limited" : "denied"),
        limited ? "Too many requests" : "Denied by the decision point",
        limited ? 429 : 403,
        String.valueOf(getMessage()),
        path,
        decision());
  }

  @Override
  public java.util.Map<String, String> headers() {
    return receipt.headers();
  }

  @Override
  public long retryAfterSeconds() {
    return decided.retryAfterSeconds(); // ProblemMapper makes it at least 1
  }
}
