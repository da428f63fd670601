/** Several nodes on one database: their registry and the policy changes each publishes. */
@NullMarked
package org.datapact.store.cluster;

import org.jspecify.annotations.NullMarked;
