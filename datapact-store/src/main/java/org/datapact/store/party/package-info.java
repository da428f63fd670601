/** Parties: partners, units and their credentials. */
@NullMarked
package org.datapact.store.party;

import org.jspecify.annotations.NullMarked;
