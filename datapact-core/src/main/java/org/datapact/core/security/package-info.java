/** Secrets and their one-way hashes. Secrets never appear in logs or {@code toString()}. */
@NullMarked
package org.datapact.core.security;

import org.jspecify.annotations.NullMarked;
