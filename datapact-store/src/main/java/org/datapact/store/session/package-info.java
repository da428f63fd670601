/** Console sessions' server-side state: the tokens signed out before they expired. */
package org.datapact.store.session;
