/**
 * The edge: routing on Jetty's core API, the edge guard, problem documents, the release pipeline's
 * refusals and the store's health.
 */
@NullMarked
package org.datapact.server.http;

import org.jspecify.annotations.NullMarked;
