/** The ledgers per-user keys and pseudonyms, and the sealing of personal fields: crypto-shredding. */
package org.datapact.ledger.subject;
