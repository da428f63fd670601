/**
 * The public transparency report: partner releases counted from the ledger, published with
 * differential privacy under a budget the ledger records.
 */
@NullMarked
package org.datapact.server.transparency;

import org.jspecify.annotations.NullMarked;
