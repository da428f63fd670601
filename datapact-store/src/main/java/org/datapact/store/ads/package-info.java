/**
 * The ads business in the store: what the audience index is built from, advertisers, segments,
 * campaigns and the stored delivery simulation.
 */
@NullMarked
package org.datapact.store.ads;

import org.jspecify.annotations.NullMarked;
