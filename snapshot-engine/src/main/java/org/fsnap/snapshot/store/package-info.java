/** The on-disk snapshot store: content files and history logs; the source of truth. */
package org.fsnap.snapshot.store;
