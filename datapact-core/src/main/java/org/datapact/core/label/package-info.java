/** Provenance labels on data and on derived datasets. */
package org.datapact.core.label;
