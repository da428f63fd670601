/** Data partners send back, held with the labels DataPact gives it. */
@NullMarked
package org.datapact.store.partner;

import org.jspecify.annotations.NullMarked;
