/**
 * The audit trail: ledger entries, their codec, the subject index and the public verification
 * routes.
 */
@NullMarked
package org.datapact.server.ledger;

import org.jspecify.annotations.NullMarked;
