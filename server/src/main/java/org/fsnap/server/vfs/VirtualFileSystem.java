package org.fsnap.server.vfs;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The filesystem seam between the NFS operations and storage.
 *
 * <p>Operations speak only in {@link Inode}s, {@link Caller}s and plain values. Implementations
 * check permissions for the caller (the server itself runs as root), never follow a symlink out
 * of the export, and report every failure as a {@link VfsException}. Layers such as the
 * {@code .fsnap} snapshot view are decorators of this interface (see {@link ForwardingFileSystem}).
 */
public interface VirtualFileSystem {

    /** The root of the export; its {@link Inode#handle()} is what PUTROOTFH yields. */
    Inode root() throws VfsException;

    /**
     * Turns a file handle received from a client back into an inode.
     *
     * @throws VfsException {@link VfsError#BADHANDLE} for malformed bytes, {@link VfsError#STALE}
     *     when the object no longer exists
     */
    Inode inodeOf(byte[] handle) throws VfsException;

    /** Looks up one name (never "." or "..", never containing '/') in a directory. */
    Inode lookup(Caller caller, Inode dir, String name) throws VfsException;

    /** The parent directory; {@link VfsError#NOENT} at the root of the export. */
    Inode parentOf(Caller caller, Inode dir) throws VfsException;

    Stat getattr(Inode inode) throws VfsException;

    /** Applies the non-null fields of {@code change}; returns the attributes afterwards. */
    Stat setattr(Caller caller, Inode inode, SetAttributes change) throws VfsException;

    /**
     * Which of the requested {@link Access} bits the caller holds on this object
     * (the ACCESS operation). Never throws for a mere lack of permission.
     */
    int access(Caller caller, Inode inode, int requested) throws VfsException;

    /**
     * Creates a regular file, directory, symlink or special file.
     *
     * @param attrs initial attributes (mode; owner/group default to the caller)
     * @param linkTarget only for {@link FileType#SYMLINK}
     * @throws VfsException {@link VfsError#EXIST} when the name is taken
     */
    Inode create(Caller caller, Inode dir, String name, FileType type, SetAttributes attrs,
                 String linkTarget) throws VfsException;

    void link(Caller caller, Inode target, Inode dir, String name) throws VfsException;

    void remove(Caller caller, Inode dir, String name) throws VfsException;

    void rename(Caller caller, Inode fromDir, String fromName, Inode toDir, String toName)
            throws VfsException;

    String readlink(Caller caller, Inode link) throws VfsException;

    /**
     * Lists a directory from a cookie. Cookies are stable across calls for an unchanged
     * directory; 0 starts at the beginning; "." and ".." are never returned. Entries the
     * implementation hides are never returned either.
     *
     * @param maxEntries an upper bound on entries returned (the caller trims by bytes)
     */
    DirectoryPage list(Caller caller, Inode dir, long cookie, int maxEntries) throws VfsException;

    /** Reads into {@code dst} from {@code offset}; returns bytes read, -1 at end of file. */
    int read(Caller caller, Inode file, ByteBuffer dst, long offset) throws VfsException;

    /**
     * Up to {@code count} bytes from {@code offset} without copying them (the file's cached
     * pages, mapped), with the same checks as {@link #read}; null where this file system cannot
     * lend them, for this file or for a read this short ({@link FileView#MIN_LENGTH}) or at the
     * end of the file: the caller then copies them with {@link #read}. A layer that serves some
     * files itself must answer here as it does in {@code read}. The default lends nothing.
     */
    default FileView readView(Caller caller, Inode file, long offset, int count) throws VfsException {
        return null;
    }

    /** Writes all of {@code src} at {@code offset}; returns the stability actually achieved. */
    Stability write(Caller caller, Inode file, ByteBuffer src, long offset, Stability requested)
            throws VfsException;

    /**
     * Refuses with {@link VfsError#ROFS} when writes to this object are refused whatever its
     * permissions (a read-only export for this caller), so that an OPEN or WRITE reports a
     * read-only filesystem rather than a lack of permission. The default allows.
     */
    default void checkWritable(Caller caller, Inode inode) throws VfsException {
    }

    /** Makes earlier unstable writes durable. */
    void commit(Inode file, long offset, long count) throws VfsException;

    FsStat fsStat(Inode inode) throws VfsException;

    // ---- extended attributes (RFC 8276). Names are without the "user." prefix, as on the wire.

    /** Whether this object can carry extended attributes (the xattr_support attribute). */
    default boolean xattrSupported(Inode inode) throws VfsException {
        return false;
    }

    default byte[] getXattr(Caller caller, Inode inode, String name) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "extended attributes not supported");
    }

    default void setXattr(Caller caller, Inode inode, String name, byte[] value, XattrSetMode mode)
            throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "extended attributes not supported");
    }

    default List<String> listXattrs(Caller caller, Inode inode) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "extended attributes not supported");
    }

    default void removeXattr(Caller caller, Inode inode, String name) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "extended attributes not supported");
    }
}
