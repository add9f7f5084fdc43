package org.fsnap.server.ops.attribute;

import static org.fsnap.server.attr.AttributeId.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.fsnap.server.attr.Bitmap4;
import org.fsnap.server.attr.Fattr4Decoder;
import org.fsnap.server.attr.XdrBuffer;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.ops.attribute.OpHarness.Wire;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.local.LocalFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attribute operations over the real local filesystem (the tests run as root). */
class LocalFileSystemAttributesTest {
    static final Caller ALICE = Caller.of(1000, 1000);
    static final Caller BOB = Caller.of(2000, 2000);
    static final Caller SQUASHED = Caller.of(Caller.NOBODY, Caller.NOBODY);

    @TempDir
    Path export;
    LocalFileSystem fs;
    OpHarness h;
    Inode root;

    @BeforeEach
    void open() throws IOException {
        Files.setPosixFilePermissions(export, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            fs = new LocalFileSystem(export, Set.of(".fsnap"));
        } catch (IOException e) {
            Assumptions.abort("local filesystem unavailable here: " + e.getMessage());
        }
        h = new OpHarness(fs);
        root = fs.root();
    }

    @AfterEach
    void close() {
        if (fs != null) {
            fs.close();
        }
    }

    CompoundContext at(Inode inode, Caller who) {
        CompoundContext ctx = h.ctx(who);
        ctx.setCurrentFh(inode);
        return ctx;
    }

    int[] access(Inode inode, Caller who, int bits) throws Exception {
        XdrBuffer args = new XdrBuffer();
        args.putInt(bits);
        Wire w = OpHarness.encode(OpHarness.run(AccessOperation::decode, args, at(inode, who)));
        assertEquals(Nfs4Status.NFS4_OK, w.readInt());
        return new int[] {w.readInt(), w.readInt()};
    }

    @Test
    void accessForOwnerOtherAndSquashedRoot() throws Exception {
        Inode f = fs.create(ALICE, root, "private", FileType.REGULAR, SetAttributes.ofMode(0600),
                null);
        int ask = Access.READ | Access.MODIFY | Access.EXTEND | Access.EXECUTE;
        assertArrayEquals(new int[] {ask, Access.READ | Access.MODIFY | Access.EXTEND},
                access(f, ALICE, ask));
        assertArrayEquals(new int[] {ask, 0}, access(f, BOB, ask));
        assertArrayEquals(new int[] {ask, 0}, access(f, SQUASHED, ask));

        Inode d = fs.create(ALICE, root, "shared", FileType.DIRECTORY, SetAttributes.ofMode(0755),
                null);
        int dirAsk = Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND | Access.DELETE;
        assertArrayEquals(new int[] {dirAsk, dirAsk}, access(d, ALICE, dirAsk));
        assertArrayEquals(new int[] {dirAsk, Access.READ | Access.LOOKUP},
                access(d, SQUASHED, dirAsk));

        int xa = Access.XAREAD | Access.XAWRITE | Access.XALIST;
        int[] r = access(f, ALICE, Access.READ | xa);
        assertEquals(fs.xattrSupported(f) ? Access.READ | xa : Access.READ, r[0]);
    }

    @Test
    void getattrSetattrVerifyRoundTrip() throws Exception {
        Inode f = fs.create(ALICE, root, "data", FileType.REGULAR, SetAttributes.ofMode(0644),
                null);
        XdrBuffer vals = new XdrBuffer();
        vals.putLong(12345).putInt(0600).putInt(Fattr4Decoder.SET_TO_CLIENT_TIME4)
                .putLong(1_600_000_000L).putInt(250);
        XdrBuffer args = new XdrBuffer();
        args.putInt(0).putFixedOpaque(new byte[12]);
        Bitmap4 set = Bitmap4.of(SIZE, MODE, TIME_MODIFY_SET);
        set.encode(args);
        args.putOpaque(vals.toByteArray());
        Wire sw = OpHarness.encode(OpHarness.run(SetattrOperation::decode, args, at(f, ALICE)));
        assertEquals(Nfs4Status.NFS4_OK, sw.readInt());
        assertEquals(set, sw.readBitmap());

        XdrBuffer g = new XdrBuffer();
        Bitmap4.of(TYPE, SIZE, FILEHANDLE, MODE, OWNER, OWNER_GROUP, SPACE_TOTAL, TIME_MODIFY)
                .encode(g);
        Wire w = OpHarness.encode(OpHarness.run(GetattrOperation::decode, g, at(f, ALICE)));
        assertEquals(Nfs4Status.NFS4_OK, w.readInt());
        assertEquals(Bitmap4.of(TYPE, SIZE, FILEHANDLE, MODE, OWNER, OWNER_GROUP, SPACE_TOTAL,
                TIME_MODIFY), w.readBitmap());
        Wire v = new Wire(w.readOpaque());
        assertEquals(1, v.readInt());
        assertEquals(12345, v.readLong());
        assertArrayEquals(f.handle(), v.readOpaque());
        assertEquals(0600, v.readInt());
        assertEquals("1000", v.readString());
        assertEquals("1000", v.readString());
        assertTrue(v.readLong() > 0);
        assertEquals(1_600_000_000L, v.readLong());
        assertEquals(250, v.readInt());

        XdrBuffer same = new XdrBuffer();
        Bitmap4.of(SIZE, MODE).encode(same);
        same.putOpaque(new XdrBuffer().putLong(12345).putInt(0600).toByteArray());
        assertEquals(Nfs4Status.NFS4_OK,
                OpHarness.run(VerifyOperation::decodeVerify, same, at(f, ALICE)).status());

        XdrBuffer chown = new XdrBuffer();
        chown.putInt(0).putFixedOpaque(new byte[12]);
        Bitmap4.of(OWNER).encode(chown);
        chown.putOpaque(new XdrBuffer().putUtf8("0").toByteArray());
        OpResult denied = OpHarness.run(SetattrOperation::decode, chown, at(f, SQUASHED));
        assertEquals(Nfs4Status.NFS4ERR_PERM, denied.status());
    }

    @Test
    void readdirOfAThousandFilesPagesWithStableCookies() throws Exception {
        Inode d = fs.create(ALICE, root, "many", FileType.DIRECTORY, SetAttributes.ofMode(0755),
                null);
        for (int i = 0; i < 1000; i++) {
            fs.create(ALICE, d, "f" + i, FileType.REGULAR, SetAttributes.ofMode(0644), null);
        }
        Bitmap4 plus = Bitmap4.of(TYPE, CHANGE, SIZE, FSID, RDATTR_ERROR, FILEHANDLE, FILEID,
                MODE, NUMLINKS, OWNER, OWNER_GROUP, SPACE_USED, TIME_ACCESS, TIME_METADATA,
                TIME_MODIFY, MOUNTED_ON_FILEID);
        Set<String> names = new HashSet<>();
        long cookie = 0;
        byte[] verf = new byte[8];
        boolean eof = false;
        int calls = 0;
        while (!eof) {
            XdrBuffer args = new XdrBuffer();
            args.putLong(cookie).putFixedOpaque(verf).putInt(4096).putInt(8192);
            plus.encode(args);
            Wire w = OpHarness.encode(OpHarness.run(ReaddirOperation::decode, args,
                    at(d, ALICE)));
            assertEquals(Nfs4Status.NFS4_OK, w.readInt());
            assertTrue(w.remaining() <= 8192);
            verf = w.readFixed(8);
            int n = 0;
            while (w.readBoolean()) {
                cookie = w.readLong();
                assertTrue(cookie > 2);
                assertTrue(names.add(w.readString()));
                assertEquals(plus, w.readBitmap());
                w.readOpaque();
                n++;
            }
            eof = w.readBoolean();
            assertTrue(n > 0);
            calls++;
        }
        assertEquals(1000, names.size());
        assertTrue(calls > 10 && calls < 100, calls + " calls");
    }
}
