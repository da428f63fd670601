/**
 * Data-sharing agreements shaped after W3C ODRL 2.2: versions with permissions, prohibitions and
 * duties, and an append-only lifecycle.
 */
package org.datapact.core.agreement;
