/** Users of the platform, the data subjects. */
package org.datapact.core.user;
