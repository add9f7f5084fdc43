package org.fsnap.server.ops.attribute;

import static org.fsnap.server.attr.AttributeId.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fsnap.server.attr.Bitmap4;
import org.fsnap.server.attr.XdrBuffer;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.ops.attribute.OpHarness.Wire;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReaddirOperationTest {
    static final Bitmap4 LS = Bitmap4.of(TYPE, FILEID, MOUNTED_ON_FILEID, RDATTR_ERROR);
    static final Caller ALICE = Caller.of(1000, 1000);

    MemoryFileSystem fs;
    OpHarness h;
    Inode dir;

    @BeforeEach
    void setUp() throws Exception {
        fs = new MemoryFileSystem();
        h = new OpHarness(fs);
        dir = fs.make(fs.root(), "d", FileType.DIRECTORY, 0755, 1000, 1000);
    }

    record Entry(long cookie, String name, Bitmap4 mask, byte[] values) {
    }

    record Listing(int status, byte[] verifier, List<Entry> entries, boolean eof, int bodyBytes) {
    }

    Listing readdir(Inode d, Caller who, long cookie, byte[] verf, int dircount, int maxcount,
                    Bitmap4 attrs) throws Exception {
        XdrBuffer args = new XdrBuffer();
        args.putLong(cookie).putFixedOpaque(verf).putInt(dircount).putInt(maxcount);
        attrs.encode(args);
        var ctx = h.ctx(who);
        ctx.setCurrentFh(d);
        OpResult r = OpHarness.run(ReaddirOperation::decode, args, ctx);
        Wire w = OpHarness.encode(r);
        int status = w.readInt();
        assertEquals(r.status(), status);
        if (status != Nfs4Status.NFS4_OK) {
            assertEquals(0, w.remaining());
            return new Listing(status, null, List.of(), false, 0);
        }
        int body = w.remaining();
        byte[] v = w.readFixed(8);
        List<Entry> entries = new ArrayList<>();
        while (w.readBoolean()) {
            long c = w.readLong();
            String name = w.readString();
            Bitmap4 mask = w.readBitmap();
            entries.add(new Entry(c, name, mask, w.readOpaque()));
        }
        boolean eof = w.readBoolean();
        assertEquals(0, w.remaining());
        return new Listing(status, v, entries, eof, body);
    }

    void fill(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            fs.make(dir, String.format("file-%04d", i), FileType.REGULAR, 0644, 1000, 1000);
        }
    }

    static final byte[] ZERO = new byte[8];

    @Test
    void emptyDirectoryIsEof() throws Exception {
        Listing l = readdir(dir, ALICE, 0, ZERO, 0, 4096, LS);
        assertEquals(Nfs4Status.NFS4_OK, l.status());
        assertTrue(l.entries().isEmpty());
        assertTrue(l.eof());
        assertEquals(16, l.bodyBytes());
    }

    @Test
    void listsEverythingWithAttributesInOneCall() throws Exception {
        fill(50);
        Listing l = readdir(dir, ALICE, 0, ZERO, 0, 1 << 20, LS);
        assertEquals(50, l.entries().size());
        assertTrue(l.eof());
        Entry e = l.entries().getFirst();
        assertEquals("file-0000", e.name());
        assertEquals(LS, e.mask());
        Wire w = new Wire(e.values());
        assertEquals(FileType.REGULAR.nfsType(), w.readInt());
        assertEquals(Nfs4Status.NFS4_OK, w.readInt());
        long fileid = w.readLong();
        assertEquals(fileid, w.readLong());
        assertEquals(fs.getattr(fs.lookup(ALICE, dir, "file-0000")).fileId(), fileid);
    }

    @Test
    void smallMaxcountPagesAndCookiesResume() throws Exception {
        fill(100);
        Set<String> seen = new HashSet<>();
        long cookie = 0;
        byte[] verf = ZERO;
        int calls = 0;
        boolean eof = false;
        while (!eof) {
            Listing l = readdir(dir, ALICE, cookie, verf, 0, 400, LS);
            assertEquals(Nfs4Status.NFS4_OK, l.status());
            assertTrue(l.bodyBytes() <= 400, "reply of " + l.bodyBytes() + " bytes");
            assertFalse(l.entries().isEmpty());
            for (Entry e : l.entries()) {
                assertTrue(seen.add(e.name()), "duplicate " + e.name());
                assertTrue(e.cookie() > 2);
            }
            cookie = l.entries().getLast().cookie();
            verf = l.verifier();
            eof = l.eof();
            calls++;
        }
        assertEquals(100, seen.size());
        assertTrue(calls > 5, "paged in " + calls + " calls");
    }

    @Test
    void maxcountTooSmallForOneEntryIsTooSmall() throws Exception {
        fill(1);
        assertEquals(Nfs4Status.NFS4ERR_TOOSMALL, readdir(dir, ALICE, 0, ZERO, 0, 40, LS).status());
        assertEquals(Nfs4Status.NFS4ERR_TOOSMALL, readdir(dir, ALICE, 0, ZERO, 0, 15, LS).status());
        // Exactly enough: 16 fixed + 4 follows + 8 cookie + 4+12 name + 4+8 bitmap + 4+24 values
        Listing l = readdir(dir, ALICE, 0, ZERO, 0, 16 + 4 + 8 + 16 + 12 + 28, LS);
        assertEquals(Nfs4Status.NFS4_OK, l.status());
        assertEquals(1, l.entries().size());
        assertTrue(l.eof());
        assertEquals(Nfs4Status.NFS4ERR_TOOSMALL,
                readdir(dir, ALICE, 0, ZERO, 0, 16 + 4 + 8 + 16 + 12 + 27, LS).status());
    }

    @Test
    void dircountLimitsNamesButAlwaysReturnsOne() throws Exception {
        fill(20);
        // each entry: 8 cookie + 4 + 12 name = 24 bytes of "directory information"
        Listing l = readdir(dir, ALICE, 0, ZERO, 24 * 5, 1 << 20, LS);
        assertEquals(5, l.entries().size());
        assertFalse(l.eof());
        l = readdir(dir, ALICE, 0, ZERO, 1, 1 << 20, LS);
        assertEquals(1, l.entries().size());
        l = readdir(dir, ALICE, 0, ZERO, 0, 1 << 20, LS);
        assertEquals(20, l.entries().size());
    }

    @Test
    void staleVerifierIsNotSameAndReservedCookiesAreBad() throws Exception {
        fill(10);
        Listing first = readdir(dir, ALICE, 0, ZERO, 0, 200, LS);
        long cookie = first.entries().getLast().cookie();
        assertEquals(Nfs4Status.NFS4_OK,
                readdir(dir, ALICE, cookie, first.verifier(), 0, 200, LS).status());
        fs.setVerifier(dir, 42);
        assertEquals(Nfs4Status.NFS4ERR_NOT_SAME,
                readdir(dir, ALICE, cookie, first.verifier(), 0, 200, LS).status());
        // a zero verifier, or cookie 0, is not checked
        assertEquals(Nfs4Status.NFS4_OK, readdir(dir, ALICE, cookie, ZERO, 0, 200, LS).status());
        assertEquals(Nfs4Status.NFS4_OK,
                readdir(dir, ALICE, 0, first.verifier(), 0, 200, LS).status());
        assertEquals(Nfs4Status.NFS4ERR_BAD_COOKIE,
                readdir(dir, ALICE, 1, ZERO, 0, 200, LS).status());
        assertEquals(Nfs4Status.NFS4ERR_BAD_COOKIE,
                readdir(dir, ALICE, 2, ZERO, 0, 200, LS).status());
    }

    @Test
    void unreadableEntryGetsRdattrErrorOrFailsTheCall() throws Exception {
        fill(3);
        Inode bad = fs.lookup(ALICE, dir, "file-0001");
        fs.failGetattr(bad);
        Listing l = readdir(dir, ALICE, 0, ZERO, 0, 4096, LS);
        assertEquals(3, l.entries().size());
        Entry e = l.entries().get(1);
        assertEquals(Bitmap4.of(RDATTR_ERROR), e.mask());
        assertEquals(Nfs4Status.NFS4ERR_IO, new Wire(e.values()).readInt());
        assertEquals(LS, l.entries().get(2).mask());

        Listing failed = readdir(dir, ALICE, 0, ZERO, 0, 4096, Bitmap4.of(TYPE, FILEID));
        assertEquals(Nfs4Status.NFS4ERR_IO, failed.status());
    }

    @Test
    void errorsOfTheDirectoryItself() throws Exception {
        Inode file = fs.make(dir, "plain", FileType.REGULAR, 0644, 1000, 1000);
        assertEquals(Nfs4Status.NFS4ERR_NOTDIR, readdir(file, ALICE, 0, ZERO, 0, 4096, LS).status());
        Inode secret = fs.make(fs.root(), "secret", FileType.DIRECTORY, 0700, 0, 0);
        assertEquals(Nfs4Status.NFS4ERR_ACCESS,
                readdir(secret, ALICE, 0, ZERO, 0, 4096, LS).status());
        assertEquals(Nfs4Status.NFS4ERR_INVAL,
                readdir(dir, ALICE, 0, ZERO, 0, 4096, Bitmap4.of(TYPE, TIME_MODIFY_SET)).status());
        var ctx = h.ctx(ALICE);
        XdrBuffer args = new XdrBuffer();
        args.putLong(0).putFixedOpaque(ZERO).putInt(0).putInt(4096);
        LS.encode(args);
        assertEquals(Nfs4Status.NFS4ERR_NOFILEHANDLE,
                OpHarness.run(ReaddirOperation::decode, args, ctx).status());
    }

    @Test
    void largeDirectoryInFewCallsWithFullAttributes() throws Exception {
        fill(5000);
        Bitmap4 plus = Bitmap4.of(TYPE, CHANGE, SIZE, FSID, RDATTR_ERROR, FILEHANDLE, FILEID,
                MODE, NUMLINKS, OWNER, OWNER_GROUP, RAWDEV, SPACE_USED, TIME_ACCESS,
                TIME_METADATA, TIME_MODIFY, MOUNTED_ON_FILEID);
        long cookie = 0;
        byte[] verf = ZERO;
        int total = 0;
        int calls = 0;
        boolean eof = false;
        long start = System.nanoTime();
        while (!eof) {
            Listing l = readdir(dir, ALICE, cookie, verf, 1 << 19, 1 << 20, plus);
            assertEquals(Nfs4Status.NFS4_OK, l.status());
            assertTrue(l.bodyBytes() <= 1 << 20);
            total += l.entries().size();
            cookie = l.entries().getLast().cookie();
            verf = l.verifier();
            eof = l.eof();
            calls++;
        }
        assertEquals(5000, total);
        assertTrue(calls <= 3, calls + " calls");
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }
}
