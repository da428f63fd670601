/** Jurisdiction rule sets as data: which law applies to a user's country, and what it demands. */
package org.datapact.core.jurisdiction;
