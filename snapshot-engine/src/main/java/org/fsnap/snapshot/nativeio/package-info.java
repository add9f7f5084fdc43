/** libc through the FFM API: open/statx/fsync, FICLONE, copy_file_range, xattrs. Internal to the engine. */
package org.fsnap.snapshot.nativeio;
