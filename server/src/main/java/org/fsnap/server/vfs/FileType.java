package org.fsnap.server.vfs;

/** Object types, numbered as nfs_ftype4 in RFC 8881. */
public enum FileType {
    REGULAR(1), DIRECTORY(2), BLOCK_DEVICE(3), CHAR_DEVICE(4), SYMLINK(5), SOCKET(6), FIFO(7),
    NAMED_ATTR_DIR(8), NAMED_ATTR(9);

    private final int nfsType;

    FileType(int nfsType) {
        this.nfsType = nfsType;
    }

    public int nfsType() {
        return nfsType;
    }

    public static FileType ofNfsType(int v) {
        for (FileType t : values()) {
            if (t.nfsType == v) {
                return t;
            }
        }
        return null;
    }
}
