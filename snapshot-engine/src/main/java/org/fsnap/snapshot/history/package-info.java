/** A file's snapshot history as immutable state rebuilt from events, and the events' checksummed text form. */
package org.fsnap.snapshot.history;
