package org.fsnap.server.ops.namespace;

import static org.fsnap.server.nfs.Nfs4Status.*;
import static org.fsnap.server.ops.namespace.OpHarness.decode;
import static org.fsnap.server.ops.namespace.OpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.testclient.XdrWriter;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.local.LocalFileSystem;
import org.fsnap.server.xdr.XdrException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The namespace operations over the real local filesystem backend, in a temporary export. */
class LocalFileSystemNamespaceTest {
    private static final Caller ROOT = Caller.root();
    private static final Caller USER = Caller.of(1000, 1000);

    private Path export;
    private LocalFileSystem fs;
    private OpHarness h;
    private Inode root;
    private Inode dir;
    private Inode file;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to give files to other owners");
        export = Files.createTempDirectory("fsnap-ns-test");
        Path d = Files.createDirectory(export.resolve("dir"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(d.resolve("file"), new byte[] {1, 2, 3});
        Files.createSymbolicLink(export.resolve("link"), Path.of("dir/file"));
        fs = new LocalFileSystem(export, Set.of());
        h = new OpHarness(fs);
        root = fs.root();
        dir = fs.lookup(ROOT, root, "dir");
        file = fs.lookup(ROOT, dir, "file");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fs != null) {
            fs.close();
        }
        if (export != null) {
            try (Stream<Path> s = Files.walk(export)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Operation create(int type, String linkdata, String name, Integer mode)
            throws XdrException {
        XdrWriter w = new XdrWriter().writeInt(type);
        if (type == 5) {
            w.writeString(linkdata);
        } else if (type == 3 || type == 4) {
            w.writeInt(8).writeInt(1);
        }
        w.writeString(name);
        if (mode == null) {
            w.writeBitmap().writeOpaque(new byte[0]);
        } else {
            w.writeBitmap(0, 1 << 1).writeOpaque(new XdrWriter().writeInt(mode).toByteArray());
        }
        return decode(CreateOperation::decode, w.toByteArray());
    }

    @Test
    void lookupAndLookupp() throws Exception {
        Inode link = fs.lookup(ROOT, root, "link");
        CompoundContext ctx = h.context(ROOT, root);
        assertEquals(NFS4_OK, status(new LookupOperation(utf8("dir")), ctx));
        assertEquals(dir, ctx.currentFh());
        assertEquals(NFS4_OK, status(new LookupParentOperation(), ctx));
        assertEquals(root, ctx.currentFh());
        assertEquals(NFS4ERR_NOENT, status(new LookupParentOperation(), ctx));
        assertEquals(NFS4ERR_NOENT, status(new LookupOperation(utf8("nope")), h.context(ROOT, root)));
        assertEquals(NFS4ERR_NOTDIR, status(new LookupOperation(utf8("x")), h.context(ROOT, file)));
        assertEquals(NFS4ERR_SYMLINK, status(new LookupOperation(utf8("x")), h.context(ROOT, link)));
        assertEquals(NFS4ERR_NAMETOOLONG,
                status(new LookupOperation(utf8("n".repeat(256))), h.context(ROOT, root)));
        assertEquals(NFS4ERR_BADNAME, status(new LookupOperation(utf8("..")), h.context(ROOT, root)));
        assertEquals(NFS4ERR_INVAL, status(new LookupOperation(new byte[0]), h.context(ROOT, root)));
        CompoundContext rl = h.context(USER, link);
        assertEquals(NFS4_OK, OpHarness.run(new ReadLinkOperation(), rl).status());
        assertEquals(NFS4ERR_INVAL, status(new ReadLinkOperation(), h.context(ROOT, file)));
    }

    @Test
    void createDirectoryAndSymlink() throws Exception {
        CompoundContext ctx = h.context(ROOT, dir);
        assertEquals(NFS4_OK, status(create(2, null, "sub", 0750), ctx));
        assertEquals(FileType.DIRECTORY, ctx.currentFh().type());
        assertEquals(0750, (Integer) Files.getAttribute(export.resolve("dir/sub"), "unix:mode",
                java.nio.file.LinkOption.NOFOLLOW_LINKS) & 07777);
        assertEquals(NFS4_OK, status(create(5, "../x", "ln", null), h.context(ROOT, dir)));
        assertEquals(Path.of("../x"), Files.readSymbolicLink(export.resolve("dir/ln")));
        assertEquals(NFS4ERR_EXIST, status(create(2, null, "file", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_BADTYPE, status(create(1, null, "reg", null), h.context(ROOT, dir)));
        assertEquals(NFS4ERR_NOTDIR, status(create(2, null, "d", null), h.context(ROOT, file)));
    }

    @Test
    void createWithoutWritePermissionIsAccess() throws Exception {
        assertEquals(NFS4ERR_ACCESS, status(create(2, null, "mine", null), h.context(USER, dir)));
        assertFalse(Files.exists(export.resolve("dir/mine")));
        assertEquals(NFS4ERR_ACCESS, status(new RemoveOperation(utf8("file")),
                h.context(USER, dir)));
        assertEquals(NFS4ERR_ACCESS, status(new RenameOperation(utf8("file"), utf8("f2")),
                h.context(USER, dir, dir)));
        assertEquals(NFS4ERR_ACCESS, status(new LinkOperation(utf8("l2")),
                h.context(USER, file, dir)));
        assertTrue(Files.exists(export.resolve("dir/file")));
    }

    @Test
    void removeAndNotEmpty() throws Exception {
        assertEquals(NFS4ERR_NOTEMPTY, status(new RemoveOperation(utf8("dir")),
                h.context(ROOT, root)));
        assertEquals(NFS4ERR_NOENT, status(new RemoveOperation(utf8("nope")),
                h.context(ROOT, dir)));
        assertEquals(NFS4_OK, status(new RemoveOperation(utf8("file")), h.context(ROOT, dir)));
        assertEquals(NFS4_OK, status(new RemoveOperation(utf8("dir")), h.context(ROOT, root)));
        assertFalse(Files.exists(export.resolve("dir")));
    }

    @Test
    void renameRules() throws Exception {
        Files.createLink(export.resolve("dir/hard"), export.resolve("dir/file"));
        assertEquals(NFS4_OK, status(new RenameOperation(utf8("file"), utf8("hard")),
                h.context(ROOT, dir, dir)));
        assertTrue(Files.exists(export.resolve("dir/file")));
        assertTrue(Files.exists(export.resolve("dir/hard")));
        Files.createDirectory(export.resolve("full"));
        Files.write(export.resolve("full/x"), new byte[0]);
        Files.createDirectory(export.resolve("empty"));
        assertEquals(NFS4ERR_EXIST, status(new RenameOperation(utf8("empty"), utf8("full")),
                h.context(ROOT, root, root)));
        assertEquals(NFS4ERR_EXIST, status(new RenameOperation(utf8("empty"), utf8("link")),
                h.context(ROOT, root, root)));
        Inode full = fs.lookup(ROOT, root, "full");
        assertEquals(NFS4ERR_EXIST, status(new RenameOperation(utf8("file"), utf8("full")),
                h.context(ROOT, dir, root)));
        assertEquals(NFS4_OK, status(new RenameOperation(utf8("hard"), utf8("moved")),
                h.context(ROOT, dir, full)));
        assertTrue(Files.exists(export.resolve("full/moved")));
        assertEquals(NFS4_OK, status(new RenameOperation(utf8("empty"), utf8("dir2")),
                h.context(ROOT, root, root)));
        assertEquals(NFS4ERR_INVAL, status(new RenameOperation(utf8("full"), utf8("inner")),
                h.context(ROOT, root, full)));
    }

    @Test
    void link() throws Exception {
        assertEquals(NFS4_OK, status(new LinkOperation(utf8("second")),
                h.context(ROOT, file, root)));
        assertEquals(2, fs.getattr(file).nlink());
        assertEquals(NFS4ERR_ISDIR, status(new LinkOperation(utf8("d2")),
                h.context(ROOT, dir, root)));
        assertEquals(NFS4ERR_EXIST, status(new LinkOperation(utf8("second")),
                h.context(ROOT, file, root)));
    }

    @Test
    void secinfo() throws Exception {
        CompoundContext ctx = h.context(ROOT, root);
        assertEquals(NFS4_OK, status(new SecInfoOperation(utf8("dir")), ctx));
        assertFalse(ctx.hasCurrentFh());
        assertEquals(NFS4ERR_NOENT, status(new SecInfoNoNameOperation(
                SecInfoNoNameOperation.STYLE_PARENT), h.context(ROOT, root)));
    }
}
