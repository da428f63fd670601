/** Provenance labels on data and on derived datasets. */
@NullMarked
package org.datapact.core.label;

import org.jspecify.annotations.NullMarked;
