/** Users' consents per party and purpose (or special topic), as an append-only history of changes. */
package org.datapact.core.consent;
