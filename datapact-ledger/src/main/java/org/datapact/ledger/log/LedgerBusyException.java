package org.datapact.ledger.log;

/**
 * The log's append queue is full: the caller should retry later (the HTTP layer answers 503 with
 * {@code Retry-After}). Back-pressure is explicit; the queue never grows without bound.
 */
public final class LedgerBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LedgerBusyException(int capacity) {
    super("the ledger's append queue is full (" + capacity + " entries waiting); retry shortly");
  }
}
