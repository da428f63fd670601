/** Jurisdiction rule sets as data: which law applies to a user's country, and what it demands. */
@NullMarked
package org.datapact.core.jurisdiction;

import org.jspecify.annotations.NullMarked;
