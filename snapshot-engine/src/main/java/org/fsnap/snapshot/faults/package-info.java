/** Crash points for the crash test; inert unless the {@code fsnap.crashAt} system property is set. */
package org.fsnap.snapshot.faults;
