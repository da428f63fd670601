/**
 * What the store records of the ledger: which agreement versions, party lists and consent changes
 * have been committed as entries.
 */
@NullMarked
package org.datapact.store.ledger;

import org.jspecify.annotations.NullMarked;
