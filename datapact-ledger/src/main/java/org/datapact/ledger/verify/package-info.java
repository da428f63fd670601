/** The offline verifier: checks a ledger directory with only its public key. */
package org.datapact.ledger.verify;
