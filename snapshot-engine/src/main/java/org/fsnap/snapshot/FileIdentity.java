package org.fsnap.snapshot;

import java.nio.file.Path;
import java.util.Optional;
import org.fsnap.snapshot.nativeio.Errno;
import org.fsnap.snapshot.nativeio.NativeFile;
import org.fsnap.snapshot.nativeio.NativeIoException;

/**
 * Reads and assigns the persistent identity ({@link FileKey}) kept in an inode's xattr. The xattr lives in
 * the inode, so renames and hard links keep it, and a new inode (even one reusing a freed inode number)
 * starts without it.
 */
final class FileIdentity {

    private final String xattr;

    FileIdentity(String xattr) {
        this.xattr = xattr;
    }

    String xattrName() {
        return xattr;
    }

    Optional<FileKey> read(NativeFile file) throws NativeIoException {
        return file.getXattr(xattr).flatMap(FileKey::fromXattr);
    }

    /** The identity of whatever is at {@code path}, without following a symlink. */
    Optional<FileKey> readNoFollow(Path path) throws NativeIoException {
        return NativeFile.getXattrNoFollow(path, xattr).flatMap(FileKey::fromXattr);
    }

    /**
     * The file's identity, assigning a fresh one on first use. The assignment is fsynced: a snapshot must
     * never be committed for a file whose identity could vanish in a power cut.
     */
    FileKey readOrAssign(NativeFile file) throws SnapshotException, NativeIoException {
        Optional<byte[]> existing = file.getXattr(xattr);
        if (existing.isPresent()) {
            Optional<FileKey> key = FileKey.fromXattr(existing.get());
            if (key.isPresent()) {
                return key.get();
            }
        }
        FileKey fresh = FileKey.random();
        try {
            // createOnly unless a foreign value is there: then replacing it is the only way forward.
            file.setXattr(xattr, fresh.toXattr(), existing.isEmpty());
        } catch (NativeIoException e) {
            if (e.errno() == Errno.EEXIST) {
                return read(file).orElseThrow(() -> e);
            }
            if (e.errno() == Errno.EPERM || e.errno() == Errno.EOPNOTSUPP) {
                throw new SnapshotIoException("cannot store the file identity in xattr " + xattr
                        + " (needs root for trusted.*, and a filesystem with xattrs)", e);
            }
            throw e;
        }
        file.fsync();
        return fresh;
    }
}
