/**
 * The decision point: requests, decisions with reasons and obligations, and the immutable
 * compiled snapshot they are decided against.
 */
package org.datapact.core.decision;
