/**
 * DataPact's domain: parties, users, the demo world, and (with later modules) agreements, consent
 * and decisions. Pure Java: no I/O, no framework, every time-dependent rule reads an injected
 * {@link java.time.Clock}.
 */
@NullMarked
package org.datapact.core;

import org.jspecify.annotations.NullMarked;
