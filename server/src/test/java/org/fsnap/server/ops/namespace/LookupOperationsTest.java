package org.fsnap.server.ops.namespace;

import static org.fsnap.server.nfs.Nfs4Status.*;
import static org.fsnap.server.ops.namespace.OpHarness.decode;
import static org.fsnap.server.ops.namespace.OpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.testclient.MemoryFileSystem;
import org.fsnap.server.testclient.XdrWriter;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.xdr.XdrException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LookupOperationsTest {
    private static final Caller ROOT = Caller.root();
    private static final Caller USER = Caller.of(1000, 1000);

    private MemoryFileSystem fs;
    private OpHarness h;
    private Inode root;
    private Inode dir;
    private Inode file;
    private Inode link;

    @BeforeEach
    void setUp() throws Exception {
        fs = new MemoryFileSystem();
        h = new OpHarness(fs);
        root = fs.root();
        dir = fs.mkdir(root, "dir", 0755, 0, 0);
        file = fs.mkfile(dir, "file", 0644, 0, 0, new byte[] {1, 2, 3});
        link = fs.symlink(root, "link", "dir/file");
    }

    private static LookupOperation lookup(String name) {
        return new LookupOperation(name.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lookupMakesTheFoundObjectCurrent() throws NfsException {
        CompoundContext ctx = h.context(ROOT, root);
        assertEquals(NFS4_OK, status(lookup("dir"), ctx));
        assertEquals(dir, ctx.currentFh());
        assertEquals(NFS4_OK, status(lookup("file"), ctx));
        assertEquals(file, ctx.currentFh());
    }

    @Test
    void lookupErrors() {
        assertEquals(NFS4ERR_NOENT, status(lookup("missing"), h.context(ROOT, root)));
        assertEquals(NFS4ERR_NOTDIR, status(lookup("x"), h.context(ROOT, file)));
        assertEquals(NFS4ERR_SYMLINK, status(lookup("x"), h.context(ROOT, link)));
        assertEquals(NFS4ERR_NOFILEHANDLE, status(lookup("dir"), h.context(ROOT)));
        assertEquals(NFS4ERR_INVAL, status(new LookupOperation(new byte[0]), h.context(ROOT, root)));
        assertEquals(NFS4ERR_INVAL, status(new LookupOperation(new byte[] {(byte) 0xff, 'a'}),
                h.context(ROOT, root)));
        assertEquals(NFS4ERR_NAMETOOLONG, status(lookup("n".repeat(256)), h.context(ROOT, root)));
        assertEquals(NFS4ERR_NOENT, status(lookup("n".repeat(255)), h.context(ROOT, root)));
        for (String bad : new String[] {".", "..", "a/b", "a\0b"}) {
            assertEquals(NFS4ERR_BADNAME, status(lookup(bad), h.context(ROOT, root)), bad);
        }
    }

    @Test
    void failedLookupKeepsTheCurrentFilehandle() throws NfsException {
        CompoundContext ctx = h.context(ROOT, dir);
        assertEquals(NFS4ERR_NOENT, status(lookup("missing"), ctx));
        assertEquals(dir, ctx.currentFh());
    }

    @Test
    void lookupNeedsSearchPermission() throws Exception {
        Inode closed = fs.mkdir(root, "closed", 0700, 0, 0);
        fs.mkfile(closed, "inside", 0644, 0, 0, new byte[0]);
        assertEquals(NFS4ERR_ACCESS, status(lookup("inside"), h.context(USER, closed)));
        assertEquals(NFS4_OK, status(lookup("inside"), h.context(ROOT, closed)));
    }

    @Test
    void lookupParent() throws NfsException {
        CompoundContext ctx = h.context(ROOT, dir);
        assertEquals(NFS4_OK, status(new LookupParentOperation(), ctx));
        assertEquals(root, ctx.currentFh());
        assertEquals(NFS4ERR_NOENT, status(new LookupParentOperation(), ctx));
        assertEquals(root, ctx.currentFh());
        assertEquals(NFS4ERR_NOTDIR, status(new LookupParentOperation(), h.context(ROOT, file)));
        assertEquals(NFS4ERR_SYMLINK, status(new LookupParentOperation(), h.context(ROOT, link)));
        assertEquals(NFS4ERR_NOFILEHANDLE, status(new LookupParentOperation(), h.context(ROOT)));
    }

    @Test
    void readlink() {
        var ok = OpHarness.run(new ReadLinkOperation(), h.context(USER, link));
        assertEquals(NFS4_OK, ok.status());
        var bytes = OpHarness.encoded(ok);
        assertEquals(NFS4_OK, bytes.getInt());
        assertEquals(8, bytes.getInt());
        byte[] text = new byte[8];
        bytes.get(text);
        assertEquals("dir/file", new String(text, StandardCharsets.UTF_8));
        assertEquals(NFS4ERR_INVAL, status(new ReadLinkOperation(), h.context(ROOT, file)));
        assertEquals(NFS4ERR_INVAL, status(new ReadLinkOperation(), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_NOFILEHANDLE, status(new ReadLinkOperation(), h.context(ROOT)));
    }

    @Test
    void secinfoReturnsAuthSysAndConsumesTheFilehandle() {
        CompoundContext ctx = h.context(ROOT, root);
        var result = OpHarness.run(new SecInfoOperation("dir".getBytes(StandardCharsets.UTF_8)),
                ctx);
        var bytes = OpHarness.encoded(result);
        assertEquals(NFS4_OK, bytes.getInt());
        assertEquals(1, bytes.getInt());
        assertEquals(1, bytes.getInt()); // AUTH_SYS
        assertFalse(bytes.hasRemaining());
        assertFalse(ctx.hasCurrentFh());
        assertEquals(NFS4ERR_NOFILEHANDLE, status(lookup("dir"), ctx));
    }

    @Test
    void secinfoErrors() throws NfsException {
        CompoundContext ctx = h.context(ROOT, root);
        assertEquals(NFS4ERR_NOENT,
                status(new SecInfoOperation("nope".getBytes(StandardCharsets.UTF_8)), ctx));
        assertEquals(root, ctx.currentFh());
        assertEquals(NFS4ERR_NOTDIR,
                status(new SecInfoOperation("x".getBytes(StandardCharsets.UTF_8)),
                        h.context(ROOT, file)));
        assertEquals(NFS4ERR_BADNAME,
                status(new SecInfoOperation("..".getBytes(StandardCharsets.UTF_8)),
                        h.context(ROOT, root)));
        assertEquals(NFS4ERR_INVAL, status(new SecInfoOperation(new byte[0]),
                h.context(ROOT, root)));
    }

    @Test
    void secinfoNoName() {
        CompoundContext ctx = h.context(ROOT, file);
        assertEquals(NFS4_OK, status(new SecInfoNoNameOperation(
                SecInfoNoNameOperation.STYLE_CURRENT_FH), ctx));
        assertFalse(ctx.hasCurrentFh());
        CompoundContext parent = h.context(ROOT, dir);
        assertEquals(NFS4_OK, status(new SecInfoNoNameOperation(
                SecInfoNoNameOperation.STYLE_PARENT), parent));
        assertFalse(parent.hasCurrentFh());
        assertEquals(NFS4ERR_NOENT, status(new SecInfoNoNameOperation(
                SecInfoNoNameOperation.STYLE_PARENT), h.context(ROOT, root)));
        assertEquals(NFS4ERR_NOTDIR, status(new SecInfoNoNameOperation(
                SecInfoNoNameOperation.STYLE_PARENT), h.context(ROOT, file)));
        assertEquals(NFS4ERR_NOFILEHANDLE, status(new SecInfoNoNameOperation(
                SecInfoNoNameOperation.STYLE_CURRENT_FH), h.context(ROOT)));
    }

    @Test
    void decodingIsBounded() throws XdrException {
        byte[] absurd = new XdrWriter().writeInt(Integer.MAX_VALUE).toByteArray();
        assertThrows(XdrException.class, () -> decode(LookupOperation::decode, absurd));
        byte[] negative = new XdrWriter().writeInt(-1).toByteArray();
        assertThrows(XdrException.class, () -> decode(RemoveOperation::decode, negative));
        byte[] truncated = new XdrWriter().writeInt(10).writeInt(0x61626364).toByteArray();
        assertThrows(XdrException.class, () -> decode(LookupOperation::decode, truncated));
        byte[] renameHalf = new XdrWriter().writeString("a").toByteArray();
        assertThrows(XdrException.class, () -> decode(RenameOperation::decode, renameHalf));
        byte[] badStyle = new XdrWriter().writeInt(2).toByteArray();
        assertThrows(XdrException.class, () -> decode(SecInfoNoNameOperation::decode, badStyle));
        // A long name still decodes, so that NAMETOOLONG (not BADXDR) can be answered.
        byte[] longName = new XdrWriter().writeString("x".repeat(1000)).toByteArray();
        assertEquals(NFS4ERR_NAMETOOLONG,
                status(decode(LookupOperation::decode, longName), h.context(ROOT, root)));
    }
}
