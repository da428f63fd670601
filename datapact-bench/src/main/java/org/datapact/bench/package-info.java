/**
 * Benchmarks: JMH suites for the decision point and the ledger, the peers measured beside them
 * (jCasbin, cedar-java) and the partner-load driver.
 */
@NullMarked
package org.datapact.bench;

import org.jspecify.annotations.NullMarked;
