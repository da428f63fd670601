/**
 * Internal units reading data DataPact holds (partner signals) through the release pipeline, with
 * the labels DataPact attaches from what it holds, never from the request.
 */
@NullMarked
package org.datapact.server.units;

import org.jspecify.annotations.NullMarked;
