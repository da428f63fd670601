/**
 * The ledgers per-user keys and pseudonyms, and the sealing of personal fields: crypto-shredding.
 */
@NullMarked
package org.datapact.ledger.subject;

import org.jspecify.annotations.NullMarked;
