/** The relational store: configuration, migrations and the pool, for H2 and PostgreSQL. */
@NullMarked
package org.datapact.store;

import org.jspecify.annotations.NullMarked;
