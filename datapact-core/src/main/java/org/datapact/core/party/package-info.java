/** Parties data can flow to (partners, internal units) and their OAuth2 clients. */
@NullMarked
package org.datapact.core.party;

import org.jspecify.annotations.NullMarked;
