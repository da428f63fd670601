/** Secrets and their one-way hashes. Secrets never appear in logs or {@code toString()}. */
package org.datapact.core.security;
