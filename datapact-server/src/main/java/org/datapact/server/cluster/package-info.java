/** Several nodes on one database: the change feed that keeps each node's decision point current. */
@NullMarked
package org.datapact.server.cluster;

import org.jspecify.annotations.NullMarked;
