/**
 * The ads business on labelled data: the attribute vocabulary, segment predicates, the audience
 * index (compressed bitmaps of user ids), audiences with the labels of what they were built from,
 * the minimum-audience and differencing guard, campaigns and the deterministic delivery simulation
 * with its revenue attribution.
 */
@NullMarked
package org.datapact.core.ads;

import org.jspecify.annotations.NullMarked;
