/** Console sign-in: people's sessions, signed and revocable. */
@NullMarked
package org.datapact.server.session;

import org.jspecify.annotations.NullMarked;
