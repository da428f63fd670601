/**
 * The privacy center's server side: a user's consents and the history of what was shared about
 * them.
 */
@NullMarked
package org.datapact.server.privacy;

import org.jspecify.annotations.NullMarked;
