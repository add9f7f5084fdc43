package org.fsnap.server.vfs.snapshot;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.SnapshotInfo;
import org.fsnap.snapshot.SnapshottedFile;

/**
 * An object of the {@code .fsnap} view. Its handle wraps the handle of the live directory
 * {@code D} the view belongs to, behind a two-byte header whose kind byte is one of ours:
 *
 * <pre>
 *  D/.fsnap               [1][0x10][D's handle]
 *  D/.fsnap/FILE          [1][0x11][file key: 16][D's handle]
 *  D/.fsnap/FILE/NAME     [1][0x12][file key: 16][name digest: 8][created, epoch ns: 8][D's handle]
 * </pre>
 *
 * The file key names a history, not a path, so handles survive renames of the live file; the
 * creation time makes a handle of a deleted snapshot STALE even if a new one reuses its name.
 * D's handle carries the local filesystem's MAC, so nothing here can point outside D's view.
 */
abstract sealed class ViewInode extends Inode
        permits ViewInode.Root, ViewInode.File, ViewInode.Snapshot {
    static final byte VERSION = 1;
    static final byte KIND_ROOT = 0x10;
    static final byte KIND_FILE = 0x11;
    static final byte KIND_SNAPSHOT = 0x12;
    private static final int KEY_BYTES = 16;

    /** The live directory whose view this is. */
    final Inode dir;

    private ViewInode(byte[] handle, FileType type, Inode dir) {
        super(handle, type);
        this.dir = dir;
    }

    static boolean isViewHandle(byte[] h) {
        return h.length >= 2 && h[0] == VERSION
                && (h[1] == KIND_ROOT || h[1] == KIND_FILE || h[1] == KIND_SNAPSHOT);
    }

    /** {@code D/.fsnap}. */
    static final class Root extends ViewInode {
        Root(Inode dir) throws VfsException {
            super(encode(KIND_ROOT, null, 0, 0, dir), FileType.DIRECTORY, dir);
        }
    }

    /** {@code D/.fsnap/FILE}: one history, resolved to how D's view shows it. */
    static final class File extends ViewInode {
        final SnapshottedFile file;

        File(Inode dir, SnapshottedFile file) throws VfsException {
            super(encode(KIND_FILE, file.key(), 0, 0, dir), FileType.DIRECTORY, dir);
            this.file = file;
        }

        FileKey key() {
            return file.key();
        }
    }

    /** {@code D/.fsnap/FILE/NAME}: one snapshot, read-only. */
    static final class Snapshot extends ViewInode {
        final SnapshottedFile file;
        final SnapshotInfo info;

        Snapshot(Inode dir, SnapshottedFile file, SnapshotInfo info) throws VfsException {
            super(encode(KIND_SNAPSHOT, file.key(), Hashing.nameDigest(info.name()),
                    createdNanos(info), dir), FileType.REGULAR, dir);
            this.file = file;
            this.info = info;
        }

        FileKey key() {
            return file.key();
        }
    }

    static long createdNanos(SnapshotInfo info) {
        return info.created().getEpochSecond() * 1_000_000_000L + info.created().getNano();
    }

    private static byte[] encode(byte kind, FileKey key, long digest, long created, Inode dir)
            throws VfsException {
        byte[] d = dir.handle();
        int extra = switch (kind) {
            case KIND_ROOT -> 0;
            case KIND_FILE -> KEY_BYTES;
            default -> KEY_BYTES + 16;
        };
        int length = 2 + extra + d.length;
        if (length > Inode.MAX_HANDLE_SIZE) {
            throw new VfsException(VfsError.NAMETOOLONG,
                    "the directory's handle is too long to wrap in a snapshot view handle");
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(VERSION).put(kind);
        if (key != null) {
            UUID id = key.id();
            b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        }
        if (kind == KIND_SNAPSHOT) {
            b.putLong(digest).putLong(created);
        }
        b.put(d);
        return b.array();
    }

    /** A view handle taken apart; the wrapped directory handle is still unchecked. */
    record Decoded(byte kind, FileKey key, long digest, long created, byte[] dirHandle) {
    }

    static Decoded decode(byte[] h) throws VfsException {
        byte kind = h[1];
        int extra = switch (kind) {
            case KIND_ROOT -> 0;
            case KIND_FILE -> KEY_BYTES;
            case KIND_SNAPSHOT -> KEY_BYTES + 16;
            default -> throw new VfsException(VfsError.BADHANDLE, "not a snapshot view handle");
        };
        if (h.length < 2 + extra + 1) {
            throw new VfsException(VfsError.BADHANDLE, "truncated snapshot view handle");
        }
        ByteBuffer b = ByteBuffer.wrap(h, 2, h.length - 2);
        FileKey key = null;
        long digest = 0;
        long created = 0;
        if (kind != KIND_ROOT) {
            key = new FileKey(new UUID(b.getLong(), b.getLong()));
        }
        if (kind == KIND_SNAPSHOT) {
            digest = b.getLong();
            created = b.getLong();
        }
        return new Decoded(kind, key, digest, created, Arrays.copyOfRange(h, 2 + extra, h.length));
    }
}
