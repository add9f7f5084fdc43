package org.fsnap.server.ops.state;

import static org.fsnap.server.nfs.Nfs4Status.*;
import static org.fsnap.server.ops.state.StateHarness.*;
import static org.fsnap.server.state.StateTable.ACCESS_BOTH;
import static org.fsnap.server.state.StateTable.ACCESS_READ;
import static org.fsnap.server.state.StateTable.DENY_NONE;
import static org.fsnap.server.state.StateTable.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.state.Session;
import org.fsnap.server.state.StateId;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.local.LocalFileSystem;
import org.fsnap.server.vfs.namedattr.NamedAttributeView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state operations over the real local filesystem (run as root, as the server is). */
class LocalFileSystemStateTest {
    private static final Caller ALICE = Caller.of(1000, 1000);
    private static final Caller BOB = Caller.of(2000, 2000);

    @TempDir
    Path export;

    private LocalFileSystem fs;
    private StateHarness h;
    private Session session;
    private Inode root;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to chown");
        Files.setPosixFilePermissions(export, PosixFilePermissions.fromString("rwxrwxrwx"));
        fs = new LocalFileSystem(export);
        h = new StateHarness(fs);
        session = h.session("local-client");
        root = fs.root();
    }

    @AfterEach
    void tearDown() {
        if (fs != null) {
            fs.close();
        }
    }

    private CompoundContext ctx(Caller c, Inode current) {
        return h.ctx(session, c, current);
    }

    private OpenOperation.Result open(CompoundContext ctx, org.fsnap.server.testclient.XdrWriter w)
            throws Exception {
        OpResult r = run(OpenOperation::decode, w, ctx);
        assertEquals(NFS4_OK, r.status());
        return (OpenOperation.Result) r;
    }

    private static byte[] bytes(OpResult r) {
        ByteBuffer b = ((ReadOperation.Result) r).data().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void createWriteReadCloseOnDisk() throws Exception {
        CompoundContext ctx = ctx(ALICE, root);
        OpenOperation.Result r = open(ctx, openCreate("o", ACCESS_BOTH, DENY_NONE,
                OpenOperation.UNCHECKED4, 0444, null, "data"));
        Inode file = ctx.currentFh();
        Stat st = fs.getattr(file);
        assertEquals(0444, st.mode());
        assertEquals(1000, st.uid());
        byte[] payload = "hello, state".getBytes();
        assertEquals(NFS4_OK, status(WriteOperation::decode, write(r.stateId(), 0, 0, payload),
                ctx(ALICE, file)));
        assertEquals(NFS4_OK, status(CommitOperation::decode,
                new org.fsnap.server.testclient.XdrWriter().writeLong(0).writeInt(0),
                ctx(ALICE, file)));
        OpResult read = run(ReadOperation::decode, read(r.stateId(), 0, 1000), ctx(ALICE, file));
        assertArrayEquals(payload, bytes(read));
        assertTrue(((ReadOperation.Result) read).eof());
        assertArrayEquals(payload, Files.readAllBytes(export.resolve("data")));
        assertEquals(NFS4_OK, status(CloseOperation::decode, close(r.stateId()), ctx(ALICE, file)));
    }

    @Test
    void permissionsAtOpenAndAfterChmod() throws Exception {
        Inode secret = fs.create(ALICE, root, "secret", FileType.REGULAR,
                SetAttributes.ofMode(0600), null);
        assertEquals(NFS4ERR_ACCESS, status(OpenOperation::decode,
                openNoCreate("b", ACCESS_READ, DENY_NONE, "secret"), ctx(BOB, root)));
        assertEquals(NFS4ERR_ACCESS, status(ReadOperation::decode,
                read(StateId.ANONYMOUS, 0, 10), ctx(BOB, secret)));
        Inode shared = fs.create(ALICE, root, "shared", FileType.REGULAR,
                SetAttributes.ofMode(0666), null);
        OpenOperation.Result r = open(ctx(BOB, root), openNoCreate("b", ACCESS_BOTH, DENY_NONE,
                "shared"));
        // Taking permission away does not affect the open, as with POSIX.
        fs.setattr(ALICE, shared, SetAttributes.ofMode(0600));
        assertEquals(NFS4_OK, status(WriteOperation::decode, write(r.stateId(), 0, 2,
                new byte[] {1, 2}), ctx(BOB, shared)));
        assertArrayEquals(new byte[] {1, 2}, bytes(run(ReadOperation::decode,
                read(r.stateId(), 0, 10), ctx(BOB, shared))));
        assertEquals(NFS4ERR_ACCESS, status(WriteOperation::decode,
                write(StateId.ANONYMOUS, 0, 2, new byte[] {1}), ctx(BOB, shared)));
    }

    /** Large reads come from the file's own pages (FileView), with the open's rights. */
    @Test
    void largeReadsAreLentFromTheFileWithTheOpensRights() throws Exception {
        Inode big = fs.create(ALICE, root, "big", FileType.REGULAR, SetAttributes.ofMode(0666), null);
        byte[] content = new byte[(5 << 20) / 2];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i ^ (i >> 9));
        }
        Files.write(export.resolve("big"), content);
        OpenOperation.Result r = open(ctx(BOB, root), openNoCreate("b", ACCESS_READ, DENY_NONE, "big"));
        fs.setattr(ALICE, big, SetAttributes.ofMode(0600)); // BOB reads through his open only

        OpResult middle = run(ReadOperation::decode, read(r.stateId(), 1 << 20, 1 << 19), ctx(BOB, big));
        assertEquals(NFS4_OK, middle.status());
        assertTrue(((ReadOperation.Result) middle).data().isReadOnly(), "lent, not copied");
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 1 << 20, 3 << 19), bytes(middle));
        assertFalse(((ReadOperation.Result) middle).eof());
        OpResult last = run(ReadOperation::decode, read(r.stateId(), 2 << 20, 1 << 20), ctx(BOB, big));
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 2 << 20, content.length), bytes(last));
        assertTrue(((ReadOperation.Result) last).eof());
        ((ReadOperation.Result) middle).release();
        ((ReadOperation.Result) last).release();

        assertEquals(NFS4ERR_ACCESS, status(ReadOperation::decode,
                read(StateId.ANONYMOUS, 0, 1 << 20), ctx(BOB, big)), "no open, no rights");
    }

    @Test
    void exclusiveCreateRetransmissionOnDisk() throws Exception {
        long verifier = 0xfedcba9876543210L;
        CompoundContext first = ctx(ALICE, root);
        open(first, openExclusive41("o", ACCESS_BOTH, verifier, 0640, "x"));
        Inode created = first.currentFh();
        assertEquals(0640, fs.getattr(created).mode());
        CompoundContext again = ctx(ALICE, root);
        open(again, openExclusive41("o", ACCESS_BOTH, verifier, 0640, "x"));
        assertEquals(created, again.currentFh());
        assertEquals(NFS4ERR_EXIST, status(OpenOperation::decode,
                openExclusive41("o", ACCESS_BOTH, verifier ^ 1, 0640, "x"), ctx(ALICE, root)));
    }

    @Test
    void namedAttributesOpenReadWriteLikeFiles() throws Exception {
        NamedAttributeView view = new NamedAttributeView(fs, Set.of());
        StateHarness nh = new StateHarness(view);
        Session s = nh.session("attr-client");
        Inode f = fs.create(ALICE, root, "withattrs", FileType.REGULAR,
                SetAttributes.ofMode(0644), null);
        assumeTrue(fs.xattrSupported(f), "user xattrs on the test filesystem");
        Inode attrDir = view.openAttributes(ALICE, f, false);
        CompoundContext ctx = nh.ctx(s, ALICE, attrDir);
        OpResult r = run(OpenOperation::decode, openCreate("o", ACCESS_BOTH, DENY_NONE,
                OpenOperation.UNCHECKED4, null, null, "color"), ctx);
        assertEquals(NFS4_OK, r.status());
        StateId id = ((OpenOperation.Result) r).stateId();
        Inode attr = ctx.currentFh();
        assertEquals(FileType.NAMED_ATTR, attr.type());
        assertEquals(NFS4_OK, status(WriteOperation::decode, write(id, 0, 2, "blue".getBytes()),
                nh.ctx(s, ALICE, attr)));
        assertArrayEquals("blue".getBytes(), bytes(run(ReadOperation::decode, read(id, 0, 100),
                nh.ctx(s, ALICE, attr))));
        assertEquals(NFS4ERR_ISDIR, status(ReadOperation::decode, read(StateId.ANONYMOUS, 0, 1),
                nh.ctx(s, ALICE, attrDir)));
        assertEquals(NFS4_OK, status(CloseOperation::decode, close(id), nh.ctx(s, ALICE, attr)));
    }

    @Test
    void truncateAndLockOnDisk() throws Exception {
        Files.write(export.resolve("t"), new byte[100]);
        Files.setPosixFilePermissions(export.resolve("t"), PosixFilePermissions.fromString("rw-rw-rw-"));
        OpenOperation.Result r = open(ctx(ALICE, root), openCreate("o", ACCESS_BOTH, DENY_NONE,
                OpenOperation.UNCHECKED4, null, 0L, "t"));
        assertEquals(0, Files.size(export.resolve("t")));
        Inode t = fs.lookup(ALICE, root, "t");
        OpResult l = run(LockOperation::decode, lockNew(WRITE_LT, 0, 10, r.stateId(), "l"),
                ctx(ALICE, t));
        assertEquals(NFS4_OK, l.status());
    }
}
