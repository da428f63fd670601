/** The offline verifier: checks a ledger directory with only its public key. */
@NullMarked
package org.datapact.ledger.verify;

import org.jspecify.annotations.NullMarked;
