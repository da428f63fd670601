/** Operations: liveness, readiness and metrics. */
@NullMarked
package org.datapact.server.ops;

import org.jspecify.annotations.NullMarked;
