/**
 * The public transparency report: counts of partner releases published with differential privacy
 * (an exact discrete Laplace mechanism), a privacy budget per calendar year, and suppression of
 * small cells.
 */
@NullMarked
package org.datapact.core.transparency;

import org.jspecify.annotations.NullMarked;
