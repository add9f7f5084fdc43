/** Per-inode and per-history readers/writer locks shared with the NFS WRITE path. */
package org.fsnap.snapshot.lock;
