/** Console sessions' server-side state: the tokens signed out before they expired. */
@NullMarked
package org.datapact.store.session;

import org.jspecify.annotations.NullMarked;
