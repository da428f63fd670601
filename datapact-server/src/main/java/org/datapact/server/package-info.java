/** The HTTP server: wiring of the features, the store and the ledger behind one edge. */
@NullMarked
package org.datapact.server;

import org.jspecify.annotations.NullMarked;
