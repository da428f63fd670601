/**
 * The demo world: a deterministic, seeded generator of the platform's parties, users, friend graph
 * and inboxes, streamed into a {@link org.datapact.core.world.WorldSink}.
 */
@NullMarked
package org.datapact.core.world;

import org.jspecify.annotations.NullMarked;
