package org.fsnap.server.vfs.local;

import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;

/**
 * An inode issued by a {@link LocalFileSystem}: keeps its already verified {@link HandleKey}
 * so hot calls skip copying and re-authenticating the handle bytes.
 */
final class LocalInode extends Inode {
    private final HandleKey key;
    private final Object issuer;

    LocalInode(HandleKey key, FileType type, Object issuer) {
        super(key.bytes(), type);
        this.key = key;
        this.issuer = issuer;
    }

    HandleKey key() {
        return key;
    }

    boolean issuedBy(Object fs) {
        return issuer == fs;
    }
}
