/**
 * The durable, append-only ledger: segment files, fsync batching and the tiles a verifier reads.
 */
@NullMarked
package org.datapact.ledger.log;

import org.jspecify.annotations.NullMarked;
