/**
 * The decision point: requests, decisions with reasons and obligations, and the immutable compiled
 * snapshot they are decided against.
 */
@NullMarked
package org.datapact.core.decision;

import org.jspecify.annotations.NullMarked;
