package org.fsnap.server.vfs.namedattr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;

/**
 * Objects of the named attribute view. Handles wrap the handle of the object the attributes
 * belong to:
 *
 * <pre>
 *  attribute directory    [1][0x20][object's handle]
 *  attribute, short name  [1][0x21][object's handle length: 1][object's handle][0][name]
 *  attribute, long name   [1][0x21][object's handle length: 1][object's handle][1][name digest: 8]
 * </pre>
 *
 * A long name does not fit in 128 bytes beside the object's handle; its digest is then
 * matched against the object's attribute names when the handle comes back.
 */
abstract sealed class AttrInode extends Inode permits AttrInode.Dir, AttrInode.Attr {
    static final byte VERSION = 1;
    static final byte KIND_DIR = 0x20;
    static final byte KIND_ATTR = 0x21;

    /** The object whose attributes these are. */
    final Inode object;

    private AttrInode(byte[] handle, FileType type, Inode object) {
        super(handle, type);
        this.object = object;
    }

    static boolean isAttrHandle(byte[] h) {
        return h.length >= 3 && h[0] == VERSION && (h[1] == KIND_DIR || h[1] == KIND_ATTR);
    }

    static final class Dir extends AttrInode {
        Dir(Inode object) throws VfsException {
            super(dirHandle(object), FileType.NAMED_ATTR_DIR, object);
        }
    }

    static final class Attr extends AttrInode {
        final String name;

        Attr(Inode object, String name) throws VfsException {
            super(attrHandle(object, name), FileType.NAMED_ATTR, object);
            this.name = name;
        }
    }

    private static byte[] dirHandle(Inode object) throws VfsException {
        byte[] o = object.handle();
        if (o.length + 2 > Inode.MAX_HANDLE_SIZE) {
            throw new VfsException(VfsError.NOTSUPP, "object handle too long for named attributes");
        }
        return ByteBuffer.allocate(o.length + 2).put(VERSION).put(KIND_DIR).put(o).array();
    }

    private static byte[] attrHandle(Inode object, String name) throws VfsException {
        byte[] o = object.handle();
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int fixed = 2 + 1 + o.length + 1;
        boolean embed = fixed + n.length <= Inode.MAX_HANDLE_SIZE;
        int length = fixed + (embed ? n.length : 8);
        if (length > Inode.MAX_HANDLE_SIZE) {
            throw new VfsException(VfsError.NOTSUPP, "object handle too long for named attributes");
        }
        ByteBuffer b = ByteBuffer.allocate(length).put(VERSION).put(KIND_ATTR).put((byte) o.length).put(o);
        if (embed) {
            b.put((byte) 0).put(n);
        } else {
            b.put((byte) 1).putLong(digest(name));
        }
        return b.array();
    }

    static long digest(String name) {
        return org.fsnap.server.vfs.snapshot.Hashing.nameDigest(name);
    }

    /** A decoded handle: the object's handle, and the name or its digest for an attribute. */
    record Decoded(byte kind, byte[] objectHandle, String name, long digest, boolean hashed) {
    }

    static Decoded decode(byte[] h) throws VfsException {
        if (h[1] == KIND_DIR) {
            return new Decoded(KIND_DIR, Arrays.copyOfRange(h, 2, h.length), null, 0, false);
        }
        int olen = h[2] & 0xff;
        int at = 3 + olen;
        if (olen == 0 || h.length < at + 1) {
            throw new VfsException(VfsError.BADHANDLE, "truncated named attribute handle");
        }
        byte[] o = Arrays.copyOfRange(h, 3, at);
        byte form = h[at];
        if (form == 0) {
            if (h.length == at + 1) {
                throw new VfsException(VfsError.BADHANDLE, "named attribute handle without a name");
            }
            return new Decoded(KIND_ATTR, o, new String(h, at + 1, h.length - at - 1, StandardCharsets.UTF_8),
                    0, false);
        }
        if (form != 1 || h.length != at + 9) {
            throw new VfsException(VfsError.BADHANDLE, "bad named attribute handle");
        }
        return new Decoded(KIND_ATTR, o, null, ByteBuffer.wrap(h, at + 1, 8).getLong(), true);
    }
}
