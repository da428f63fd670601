/**
 * The partner API: friends, inbox, sends, activity and connections, each release through the
 * pipeline.
 */
@NullMarked
package org.datapact.server.partner;

import org.jspecify.annotations.NullMarked;
