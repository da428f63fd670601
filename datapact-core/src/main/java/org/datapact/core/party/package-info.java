/** Parties data can flow to (partners, internal units) and their OAuth2 clients. */
package org.datapact.core.party;
