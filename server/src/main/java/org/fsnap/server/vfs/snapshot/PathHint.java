package org.fsnap.server.vfs.snapshot;

import java.nio.file.Path;
import java.util.Optional;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;

/**
 * Optional help a local filesystem can give the snapshot view: the absolute path at which the
 * kernel currently sees an object (for instance by reading /proc/self/fd/N of its descriptor).
 * Used only for non-directories the view has never seen under a name, e.g. handles a client
 * kept across a server restart; every answer is checked against the object's inode number.
 */
@FunctionalInterface
public interface PathHint {
    Optional<Path> pathOf(Inode inode) throws VfsException;
}
