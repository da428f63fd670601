/**
 * Data-sharing agreements shaped after W3C ODRL 2.2: versions with permissions, prohibitions and
 * duties, and an append-only lifecycle.
 */
@NullMarked
package org.datapact.core.agreement;

import org.jspecify.annotations.NullMarked;
