/** The policy vocabulary: scopes, purposes and data categories, with their standard mappings. */
package org.datapact.core.policy;
