/** The policy vocabulary: scopes, purposes and data categories, with their standard mappings. */
@NullMarked
package org.datapact.core.policy;

import org.jspecify.annotations.NullMarked;
