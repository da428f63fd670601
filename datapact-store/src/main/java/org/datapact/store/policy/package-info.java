/** Agreements and consents as stored, and their ODRL import and export. */
@NullMarked
package org.datapact.store.policy;

import org.jspecify.annotations.NullMarked;
