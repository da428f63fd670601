/**
 * Users' consents per party and purpose (or special topic), as an append-only history of changes.
 */
@NullMarked
package org.datapact.core.consent;

import org.jspecify.annotations.NullMarked;
