/** Users, their countries and their consents as stored. */
@NullMarked
package org.datapact.store.user;

import org.jspecify.annotations.NullMarked;
