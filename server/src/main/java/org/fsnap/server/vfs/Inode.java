package org.fsnap.server.vfs;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A filesystem object as the protocol layer sees it: the opaque, persistent file handle the
 * owning {@link VirtualFileSystem} issued, plus its type. Equality is by handle bytes.
 * Implementations may subclass to carry their own resolution state.
 */
public class Inode {
    /** RFC 8881 NFS4_FHSIZE. */
    public static final int MAX_HANDLE_SIZE = 128;

    private final byte[] handle;
    private final FileType type;

    public Inode(byte[] handle, FileType type) {
        if (handle.length == 0 || handle.length > MAX_HANDLE_SIZE) {
            throw new IllegalArgumentException("file handle of " + handle.length + " bytes");
        }
        this.handle = handle.clone();
        this.type = type;
    }

    public final byte[] handle() {
        return handle.clone();
    }

    public final FileType type() {
        return type;
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof Inode other && Arrays.equals(handle, other.handle);
    }

    @Override
    public final int hashCode() {
        return Arrays.hashCode(handle);
    }

    @Override
    public String toString() {
        return type + ":" + HexFormat.of().formatHex(handle);
    }
}
