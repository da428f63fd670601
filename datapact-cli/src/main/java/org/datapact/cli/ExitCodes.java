package org.datapact.cli;

import org.datapact.core.ErrorKind;

/** The CLI's stable exit codes. */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;

  /** An unexpected internal failure. */
  static final int INTERNAL = 1;

  /** Wrong usage: unknown option, missing argument (picocli's own code). */
  static final int USAGE = 2;

  /** Configuration is wrong: a bad value, an unwritable data directory. */
  static final int CONFIGURATION = 3;

  /** Something DataPact needs is unavailable: the database, the port. */
  static final int UNAVAILABLE = 4;

  /** A verification failed: the ledger does not verify. */
  static final int VERIFICATION_FAILED = 5;

  private ExitCodes() {}

  static int of(ErrorKind kind) {
    return switch (kind) {
      case CONFIGURATION, INVALID_INPUT -> CONFIGURATION;
      case UNAVAILABLE -> UNAVAILABLE;
      default -> INTERNAL;
    };
  }
}
