/** The in-memory index of histories, behind an interface so a clustered implementation can replace it. */
package org.fsnap.snapshot.catalog;
