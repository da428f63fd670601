/**
 * The release pipeline, the one door for data: decide, limit, audit (durable before the answer),
 * then answer or refuse. Its one rate limiter, its one pager, and the wire form of a decision.
 */
@NullMarked
package org.datapact.server.release;

import org.jspecify.annotations.NullMarked;
