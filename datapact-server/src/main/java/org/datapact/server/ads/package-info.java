/**
 * The ads business over HTTP: segments built and estimated through the release pipeline with the
 * labels of what DataPact holds, advertisers, campaigns, spend commitments and the revenue of the
 * delivery simulation.
 */
@NullMarked
package org.datapact.server.ads;

import org.jspecify.annotations.NullMarked;
