package org.fsnap.server.ops.namespace;

import static org.fsnap.server.nfs.Nfs4Status.*;
import static org.fsnap.server.ops.namespace.OpHarness.decode;
import static org.fsnap.server.ops.namespace.OpHarness.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.testclient.MemoryFileSystem;
import org.fsnap.server.testclient.XdrWriter;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.xdr.XdrException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModifyOperationsTest {
    private static final Caller ROOT = Caller.root();
    private static final Caller USER = Caller.of(1000, 1000);
    private static final int NF4REG = 1;
    private static final int NF4DIR = 2;
    private static final int NF4BLK = 3;
    private static final int NF4CHR = 4;
    private static final int NF4LNK = 5;
    private static final int NF4SOCK = 6;
    private static final int NF4FIFO = 7;
    private static final int NF4ATTRDIR = 8;

    private MemoryFileSystem fs;
    private OpHarness h;
    private Inode root;
    private Inode dir;
    private Inode file;

    @BeforeEach
    void setUp() throws Exception {
        fs = new MemoryFileSystem();
        h = new OpHarness(fs);
        root = fs.root();
        dir = fs.mkdir(root, "dir", 0755, 0, 0);
        file = fs.mkfile(dir, "file", 0644, 0, 0, new byte[] {1, 2, 3});
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** CREATE4args on the wire: objtype arm, objname, createattrs with an optional mode. */
    private static Operation create(int type, String linkdata, String name, Integer mode)
            throws XdrException {
        XdrWriter w = new XdrWriter().writeInt(type);
        if (type == NF4LNK) {
            w.writeString(linkdata);
        } else if (type == NF4BLK || type == NF4CHR) {
            w.writeInt(8).writeInt(1);
        }
        w.writeString(name);
        if (mode == null) {
            w.writeBitmap().writeOpaque(new byte[0]);
        } else {
            w.writeBitmap(0, 1 << (33 - 32)).writeOpaque(new XdrWriter().writeInt(mode)
                    .toByteArray());
        }
        return decode(CreateOperation::decode, w.toByteArray());
    }

    private static void assertChanged(ByteBuffer cinfo) {
        assertEquals(1, cinfo.getInt()); // atomic: the directory was locked between the readings
        long before = cinfo.getLong();
        long after = cinfo.getLong();
        assertNotEquals(before, after);
    }

    @Test
    void createDirectory() throws Exception {
        CompoundContext ctx = h.context(ROOT, dir);
        OpResult r = OpHarness.run(create(NF4DIR, null, "sub", 0750), ctx);
        assertEquals(NFS4_OK, r.status());
        ByteBuffer b = OpHarness.encoded(r);
        assertEquals(NFS4_OK, b.getInt());
        assertChanged(b);
        assertEquals(2, b.getInt()); // attrset: mode, in word 1
        assertEquals(0, b.getInt());
        assertEquals(1 << 1, b.getInt());
        assertFalse(b.hasRemaining());
        Inode sub = ctx.currentFh();
        assertEquals(FileType.DIRECTORY, sub.type());
        assertEquals(sub, fs.lookup(ROOT, dir, "sub"));
        assertEquals(0750, fs.getattr(sub).mode());
    }

    @Test
    void createSymlinkFifoSocket() throws Exception {
        CompoundContext ctx = h.context(ROOT, dir);
        assertEquals(NFS4_OK, status(create(NF4LNK, "../elsewhere", "ln", null), ctx));
        assertEquals(FileType.SYMLINK, ctx.currentFh().type());
        assertEquals("../elsewhere", fs.readlink(ROOT, ctx.currentFh()));
        assertEquals(NFS4_OK, status(create(NF4FIFO, null, "fifo", null), h.context(ROOT, dir)));
        assertEquals(FileType.FIFO, fs.lookup(ROOT, dir, "fifo").type());
        assertEquals(NFS4_OK, status(create(NF4SOCK, null, "sock", null), h.context(ROOT, dir)));
        assertEquals(FileType.SOCKET, fs.lookup(ROOT, dir, "sock").type());
    }

    @Test
    void createErrors() throws Exception {
        assertEquals(NFS4ERR_BADTYPE, status(create(NF4REG, null, "r", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_BADTYPE, status(create(NF4BLK, null, "b", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_BADTYPE, status(create(NF4CHR, null, "c", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_BADTYPE,
                status(create(NF4ATTRDIR, null, "a", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_BADTYPE, status(create(99, null, "u", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_EXIST, status(create(NF4DIR, null, "file", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_NOTDIR, status(create(NF4DIR, null, "d", null), h.context(ROOT, file)));
        assertEquals(NFS4ERR_NOFILEHANDLE, status(create(NF4DIR, null, "d", null), h.context(ROOT)));
        assertEquals(NFS4ERR_INVAL, status(create(NF4DIR, null, "", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_BADNAME, status(create(NF4DIR, null, "..", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_NAMETOOLONG,
                status(create(NF4DIR, null, "d".repeat(256), null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_INVAL, status(create(NF4LNK, "", "l", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_NAMETOOLONG,
                status(create(NF4LNK, "t".repeat(4096), "l", null), h.context(ROOT, dir)));
        assertFalse(fs.exists(dir, "l"));
    }

    @Test
    void createNeedsWritePermission() throws Exception {
        CompoundContext ctx = h.context(USER, dir); // root-owned 0755
        assertEquals(NFS4ERR_ACCESS, status(create(NF4DIR, null, "mine", null), ctx));
        assertEquals(dir, ctx.currentFh());
        assertFalse(fs.exists(dir, "mine"));
    }

    @Test
    void createWithUnsupportedAttributeFailsBeforeCreating() throws Exception {
        // fattr4 with acl (12), which CREATE cannot set.
        byte[] args = new XdrWriter().writeInt(NF4DIR).writeString("d")
                .writeBitmap(1 << 12).writeOpaque(new XdrWriter().writeInt(0).toByteArray())
                .toByteArray();
        assertEquals(NFS4ERR_ATTRNOTSUPP,
                status(decode(CreateOperation::decode, args), h.context(ROOT, dir)));
        assertFalse(fs.exists(dir, "d"));
    }

    @Test
    void createAttributeErrorsAndOwner() throws Exception {
        // type (1) is read-only: INVAL; nothing created
        byte[] readOnly = new XdrWriter().writeInt(NF4DIR).writeString("ro")
                .writeBitmap(1 << 1).writeOpaque(new XdrWriter().writeInt(2).toByteArray())
                .toByteArray();
        assertEquals(NFS4ERR_INVAL,
                status(decode(CreateOperation::decode, readOnly), h.context(ROOT, dir)));
        assertFalse(fs.exists(dir, "ro"));
        // mode announced but no value: BADXDR
        byte[] short1 = new XdrWriter().writeInt(NF4DIR).writeString("s")
                .writeBitmap(0, 1 << 1).writeOpaque(new byte[0]).toByteArray();
        assertEquals(NFS4ERR_BADXDR,
                status(decode(CreateOperation::decode, short1), h.context(ROOT, dir)));
        assertFalse(fs.exists(dir, "s"));
        // owner (36) as a numeric string
        byte[] owned = new XdrWriter().writeInt(NF4DIR).writeString("owned")
                .writeBitmap(0, 1 << (36 - 32)).writeOpaque(new XdrWriter().writeString("1000")
                        .toByteArray()).toByteArray();
        CompoundContext ctx = h.context(ROOT, dir);
        assertEquals(NFS4_OK, status(decode(CreateOperation::decode, owned), ctx));
        assertEquals(1000, fs.getattr(ctx.currentFh()).uid());
    }

    @Test
    void createDecodingIsBounded() {
        byte[] hugeLink = new XdrWriter().writeInt(NF4LNK).writeInt(Integer.MAX_VALUE)
                .toByteArray();
        assertThrows(XdrException.class, () -> decode(CreateOperation::decode, hugeLink));
        byte[] hugeAttrs = new XdrWriter().writeInt(NF4DIR).writeString("d").writeBitmap(0)
                .writeInt(Integer.MAX_VALUE).toByteArray();
        assertThrows(XdrException.class, () -> decode(CreateOperation::decode, hugeAttrs));
        byte[] hugeBitmap = new XdrWriter().writeInt(NF4DIR).writeString("d")
                .writeInt(1 << 30).toByteArray();
        assertThrows(XdrException.class, () -> decode(CreateOperation::decode, hugeBitmap));
    }

    @Test
    void remove() throws Exception {
        OpResult r = OpHarness.run(new RemoveOperation(utf8("file")), h.context(ROOT, dir));
        assertEquals(NFS4_OK, r.status());
        ByteBuffer b = OpHarness.encoded(r);
        assertEquals(NFS4_OK, b.getInt());
        assertChanged(b);
        assertFalse(fs.exists(dir, "file"));
        fs.mkdir(dir, "empty", 0755, 0, 0);
        assertEquals(NFS4_OK, status(new RemoveOperation(utf8("empty")), h.context(ROOT, dir)));
    }

    @Test
    void removeErrors() throws Exception {
        assertEquals(NFS4ERR_NOENT, status(new RemoveOperation(utf8("nope")), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_NOTEMPTY, status(new RemoveOperation(utf8("dir")), h.context(ROOT, root)));
        assertEquals(NFS4ERR_NOTDIR, status(new RemoveOperation(utf8("x")), h.context(ROOT, file)));
        assertEquals(NFS4ERR_ACCESS, status(new RemoveOperation(utf8("file")), h.context(USER, dir)));
        assertEquals(NFS4ERR_BADNAME, status(new RemoveOperation(utf8(".")), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_INVAL, status(new RemoveOperation(new byte[0]), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_NAMETOOLONG,
                status(new RemoveOperation(utf8("x".repeat(300))), h.context(ROOT, dir)));
        assertTrue(fs.exists(dir, "file"));
    }

    @Test
    void stickyDirectoryProtectsOthersFiles() throws Exception {
        Inode tmp = fs.mkdir(root, "tmp", 01777, 0, 0);
        fs.mkfile(tmp, "roots", 0666, 0, 0, new byte[0]);
        fs.mkfile(tmp, "users", 0666, 1000, 1000, new byte[0]);
        assertEquals(NFS4ERR_ACCESS, status(new RemoveOperation(utf8("roots")), h.context(USER, tmp)));
        assertEquals(NFS4_OK, status(new RemoveOperation(utf8("users")), h.context(USER, tmp)));
    }

    @Test
    void renameAcrossDirectories() throws Exception {
        Inode other = fs.mkdir(root, "other", 0755, 0, 0);
        OpResult r = OpHarness.run(new RenameOperation(utf8("file"), utf8("moved")),
                h.context(ROOT, dir, other));
        assertEquals(NFS4_OK, r.status());
        ByteBuffer b = OpHarness.encoded(r);
        assertEquals(NFS4_OK, b.getInt());
        assertChanged(b);
        assertChanged(b);
        assertFalse(b.hasRemaining());
        assertFalse(fs.exists(dir, "file"));
        assertEquals(file, fs.lookup(ROOT, other, "moved"));
    }

    @Test
    void renameOntoItselfIsANoOp() throws Exception {
        fs.link(ROOT, file, dir, "hardlink");
        long before = fs.getattr(dir).change();
        OpResult r = OpHarness.run(new RenameOperation(utf8("file"), utf8("hardlink")),
                h.context(ROOT, dir, dir));
        assertEquals(NFS4_OK, r.status());
        assertTrue(fs.exists(dir, "file"));
        assertTrue(fs.exists(dir, "hardlink"));
        assertEquals(before, fs.getattr(dir).change());
        assertEquals(NFS4_OK, status(new RenameOperation(utf8("file"), utf8("file")),
                h.context(ROOT, dir, dir)));
        assertTrue(fs.exists(dir, "file"));
    }

    @Test
    void renameReplacesCompatibleTargets() throws Exception {
        fs.mkfile(dir, "victim", 0644, 0, 0, new byte[0]);
        assertEquals(NFS4_OK, status(new RenameOperation(utf8("file"), utf8("victim")),
                h.context(ROOT, dir, dir)));
        assertEquals(file, fs.lookup(ROOT, dir, "victim"));
        Inode a = fs.mkdir(root, "a", 0755, 0, 0);
        fs.mkdir(root, "emptyTarget", 0755, 0, 0);
        assertEquals(NFS4_OK, status(new RenameOperation(utf8("a"), utf8("emptyTarget")),
                h.context(ROOT, root, root)));
        assertEquals(a, fs.lookup(ROOT, root, "emptyTarget"));
    }

    @Test
    void renameIncompatibleTargetsAreExist() throws Exception {
        Inode d2 = fs.mkdir(root, "d2", 0755, 0, 0);
        fs.mkfile(d2, "occupant", 0644, 0, 0, new byte[0]);
        fs.mkdir(root, "emptyDir", 0755, 0, 0);
        fs.mkfile(root, "plain", 0644, 0, 0, new byte[0]);
        // directory onto a non-empty directory, onto a file; file onto a directory
        assertEquals(NFS4ERR_EXIST, status(new RenameOperation(utf8("emptyDir"), utf8("d2")),
                h.context(ROOT, root, root)));
        assertEquals(NFS4ERR_EXIST, status(new RenameOperation(utf8("emptyDir"), utf8("plain")),
                h.context(ROOT, root, root)));
        assertEquals(NFS4ERR_EXIST, status(new RenameOperation(utf8("plain"), utf8("emptyDir")),
                h.context(ROOT, root, root)));
        assertTrue(fs.exists(root, "emptyDir"));
        assertTrue(fs.exists(root, "plain"));
    }

    @Test
    void renameErrors() throws Exception {
        assertEquals(NFS4ERR_NOENT, status(new RenameOperation(utf8("nope"), utf8("x")),
                h.context(ROOT, dir, dir)));
        assertEquals(NFS4ERR_NOTDIR, status(new RenameOperation(utf8("a"), utf8("b")),
                h.context(ROOT, file, dir)));
        assertEquals(NFS4ERR_NOTDIR, status(new RenameOperation(utf8("file"), utf8("b")),
                h.context(ROOT, dir, file)));
        assertEquals(NFS4ERR_NOFILEHANDLE, status(new RenameOperation(utf8("file"), utf8("b")),
                h.context(ROOT, dir)));
        assertEquals(NFS4ERR_BADNAME, status(new RenameOperation(utf8("file"), utf8("..")),
                h.context(ROOT, dir, dir)));
        assertEquals(NFS4ERR_INVAL, status(new RenameOperation(new byte[0], utf8("b")),
                h.context(ROOT, dir, dir)));
        assertEquals(NFS4ERR_NAMETOOLONG, status(new RenameOperation(utf8("file"),
                utf8("b".repeat(256))), h.context(ROOT, dir, dir)));
        assertEquals(NFS4ERR_ACCESS, status(new RenameOperation(utf8("file"), utf8("b")),
                h.context(USER, dir, dir)));
        // a directory into its own subdirectory
        Inode inner = fs.mkdir(dir, "inner", 0755, 0, 0);
        assertEquals(NFS4ERR_INVAL, status(new RenameOperation(utf8("dir"), utf8("x")),
                h.context(ROOT, root, inner)));
        assertTrue(fs.exists(dir, "file"));
    }

    @Test
    void renameAndLinkAcrossFilesystemsAreXdev() throws Exception {
        Inode mount = fs.mkdirOtherFilesystem(root, "mnt", 7);
        assertEquals(NFS4ERR_XDEV, status(new RenameOperation(utf8("file"), utf8("f")),
                h.context(ROOT, dir, mount)));
        assertEquals(NFS4ERR_XDEV, status(new LinkOperation(utf8("f")),
                h.context(ROOT, file, mount)));
        assertTrue(fs.exists(dir, "file"));
        assertFalse(fs.exists(mount, "f"));
    }

    @Test
    void link() throws Exception {
        Inode other = fs.mkdir(root, "other", 0755, 0, 0);
        OpResult r = OpHarness.run(new LinkOperation(utf8("second")), h.context(ROOT, file, other));
        assertEquals(NFS4_OK, r.status());
        ByteBuffer b = OpHarness.encoded(r);
        assertEquals(NFS4_OK, b.getInt());
        assertChanged(b);
        Stat st = fs.getattr(file);
        assertEquals(2, st.nlink());
        assertEquals(file, fs.lookup(ROOT, other, "second"));
    }

    @Test
    void linkErrors() throws Exception {
        assertEquals(NFS4ERR_ISDIR, status(new LinkOperation(utf8("d")), h.context(ROOT, dir, root)));
        assertEquals(NFS4ERR_EXIST, status(new LinkOperation(utf8("file")),
                h.context(ROOT, file, dir)));
        assertEquals(NFS4ERR_NOTDIR, status(new LinkOperation(utf8("l")),
                h.context(ROOT, file, file)));
        assertEquals(NFS4ERR_NOFILEHANDLE, status(new LinkOperation(utf8("l")),
                h.context(ROOT, dir)));
        assertEquals(NFS4ERR_ACCESS, status(new LinkOperation(utf8("l")),
                h.context(USER, file, dir)));
        assertEquals(NFS4ERR_BADNAME, status(new LinkOperation(utf8("a/b")),
                h.context(ROOT, file, dir)));
        assertArrayEquals(new byte[0], new byte[0]);
    }
}
