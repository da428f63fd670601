/** Partner credentials: client-credential tokens, their scopes and their throttling. */
@NullMarked
package org.datapact.server.oauth;

import org.jspecify.annotations.NullMarked;
