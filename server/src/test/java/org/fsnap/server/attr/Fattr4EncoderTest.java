package org.fsnap.server.attr;

import static org.fsnap.server.attr.AttributeId.*;
import static org.junit.jupiter.api.Assertions.*;

import org.fsnap.server.ops.attribute.MemoryFileSystem;
import org.fsnap.server.ops.attribute.OpHarness.Wire;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Fattr4EncoderTest {
    MemoryFileSystem fs;
    Inode file;
    Stat stat;
    final OwnerMapper owners = new OwnerMapper("example.org");

    @BeforeEach
    void setUp() throws VfsException {
        fs = new MemoryFileSystem();
        file = fs.make(fs.root(), "f", FileType.REGULAR, 0640, 1000, 50);
        stat = fs.getattr(file);
    }

    private Fattr4Encoder encoder(int minor) {
        return new Fattr4Encoder(fs, owners, 90, minor);
    }

    @Test
    void encodesEveryReadableAttributeInBitOrder() throws VfsException {
        fs.setXattrSupported(true);
        Bitmap4 all = SupportedAttributes.READABLE_V42;
        Fattr4 f = encoder(2).encode(all, file, stat);
        assertEquals(all, f.mask());
        Wire w = new Wire(f.values());
        assertEquals(SupportedAttributes.supported(2), w.readBitmap()); // supported_attrs
        assertEquals(FileType.REGULAR.nfsType(), w.readInt());     // type
        assertEquals(Fattr4Encoder.FH4_PERSISTENT, w.readInt());   // fh_expire_type
        assertEquals(stat.change(), w.readLong());                 // change
        assertEquals(stat.size(), w.readLong());                   // size
        assertTrue(w.readBoolean());                               // link_support
        assertTrue(w.readBoolean());                               // symlink_support
        assertFalse(w.readBoolean());                              // named_attr
        assertEquals(MemoryFileSystem.FSID_MAJOR, w.readLong());   // fsid
        assertEquals(MemoryFileSystem.FSID_MINOR, w.readLong());
        assertTrue(w.readBoolean());                               // unique_handles
        assertEquals(90, w.readInt());                             // lease_time
        assertEquals(0, w.readInt());                              // rdattr_error
        assertEquals(0, w.readInt());                              // aclsupport
        assertTrue(w.readBoolean());                               // cansettime
        assertFalse(w.readBoolean());                              // case_insensitive
        assertTrue(w.readBoolean());                               // case_preserving
        assertTrue(w.readBoolean());                               // chown_restricted
        assertArrayEquals(file.handle(), w.readOpaque());          // filehandle
        assertEquals(stat.fileId(), w.readLong());                 // fileid
        assertEquals(800_000, w.readLong());                       // files_avail
        assertEquals(900_000, w.readLong());                       // files_free
        assertEquals(1_000_000, w.readLong());                     // files_total
        assertTrue(w.readBoolean());                               // homogeneous
        assertEquals(Long.MAX_VALUE, w.readLong());                // maxfilesize
        assertEquals(Fattr4Encoder.MAX_LINK, w.readInt());         // maxlink
        assertEquals(255, w.readInt());                            // maxname
        assertEquals(1048576, w.readLong());                       // maxread
        assertEquals(1048576, w.readLong());                       // maxwrite
        assertEquals(0640, w.readInt());                           // mode
        assertTrue(w.readBoolean());                               // no_trunc
        assertEquals(1, w.readInt());                              // numlinks
        assertEquals("1000", w.readString());                      // owner
        assertEquals("50", w.readString());                        // owner_group
        assertEquals(0, w.readInt());                              // rawdev
        assertEquals(0, w.readInt());
        assertEquals(1L << 38, w.readLong());                      // space_avail
        assertEquals(1L << 39, w.readLong());                      // space_free
        assertEquals(1L << 40, w.readLong());                      // space_total
        assertEquals(stat.spaceUsed(), w.readLong());              // space_used
        assertTime(w, stat.atimeNanos());                          // time_access
        assertTime(w, stat.createTimeNanos());                     // time_create
        assertEquals(0, w.readLong());                             // time_delta
        assertEquals(1, w.readInt());
        assertTime(w, stat.ctimeNanos());                          // time_metadata
        assertTime(w, stat.mtimeNanos());                          // time_modify
        assertEquals(stat.fileId(), w.readLong());                 // mounted_on_fileid
        assertEquals(0, w.readInt());                              // fs_layout_type: none
        assertEquals(Bitmap4.of(SIZE, MODE, OWNER, OWNER_GROUP), w.readBitmap()); // exclcreat
        assertTrue(w.readBoolean());                               // xattr_support
        assertEquals(0, w.remaining());
        assertEquals(1, fs.fsStatCalls());
    }

    private static void assertTime(Wire w, long nanos) {
        assertEquals(Math.floorDiv(nanos, 1_000_000_000L), w.readLong());
        assertEquals(Math.floorMod(nanos, 1_000_000_000L), w.readInt());
    }

    @Test
    void unsupportedRequestsAreLeftOut() throws VfsException {
        Bitmap4 req = Bitmap4.of(TYPE, ACL, FS_LOCATIONS, MODE, QUOTA_USED, SEC_LABEL, 120);
        Fattr4 f = encoder(2).encode(req, file, stat);
        assertEquals(Bitmap4.of(TYPE, MODE), f.mask());
        Wire w = new Wire(f.values());
        assertEquals(1, w.readInt());
        assertEquals(0640, w.readInt());
        assertEquals(0, w.remaining());
    }

    /**
     * The Linux client sends in SETATTR only attributes named in supported_attrs: without the
     * write-only times there, touch and utimensat reached the server as an empty SETATTR.
     */
    @Test
    void supportedAttrsNamesEverySettableAttributeButEncodesNoWriteOnlyOne()
            throws VfsException {
        for (int minor : new int[] {1, 2}) {
            Bitmap4 supported = encoder(minor).supported();
            assertTrue(supported.containsAll(SupportedAttributes.SETTABLE), "minor " + minor);
            assertTrue(supported.isSet(TIME_ACCESS_SET) && supported.isSet(TIME_MODIFY_SET));
            Fattr4 f = encoder(minor).encode(Bitmap4.of(SUPPORTED_ATTRS), file, stat);
            assertEquals(supported, new Wire(f.values()).readBitmap());
            Fattr4 times = encoder(minor).encode(
                    Bitmap4.of(TIME_ACCESS, TIME_ACCESS_SET, TIME_MODIFY_SET), file, stat);
            assertEquals(Bitmap4.of(TIME_ACCESS), times.mask());
        }
    }

    @Test
    void minorVersionOneHasNoVersionTwoAttributes() throws VfsException {
        assertFalse(encoder(1).supported().isSet(XATTR_SUPPORT));
        assertTrue(encoder(1).supported().isSet(SUPPATTR_EXCLCREAT));
        assertTrue(encoder(2).supported().isSet(XATTR_SUPPORT));
        Fattr4 f = encoder(1).encode(Bitmap4.of(SUPPORTED_ATTRS, XATTR_SUPPORT), file, stat);
        assertEquals(Bitmap4.of(SUPPORTED_ATTRS), f.mask());
        assertEquals(3, new Wire(f.values()).readBitmap().wordCount()); // 75 is in word 2
    }

    @Test
    void fsStatIsFetchedOnlyWhenSpaceOrFilesAttributesAreAsked() throws VfsException {
        Fattr4Encoder enc = encoder(2);
        enc.encode(Bitmap4.of(TYPE, SIZE, SPACE_USED, FSID), file, stat);
        assertEquals(0, fs.fsStatCalls());
        enc.encode(Bitmap4.of(SPACE_AVAIL, SPACE_FREE, FILES_TOTAL), file, stat);
        enc.encode(Bitmap4.of(SPACE_TOTAL), file, stat);
        assertEquals(1, fs.fsStatCalls(), "cached per encoder and fsid");
    }

    @Test
    void xattrSupportFollowsTheFilesystem() throws VfsException {
        Fattr4 f = encoder(2).encode(Bitmap4.of(XATTR_SUPPORT), file, stat);
        assertFalse(new Wire(f.values()).readBoolean());
        fs.setXattrSupported(true);
        f = encoder(2).encode(Bitmap4.of(XATTR_SUPPORT), file, stat);
        assertTrue(new Wire(f.values()).readBoolean());
    }

    @Test
    void unknownCreateTimeIsLeftOut() throws VfsException {
        fs.zeroCreateTime(file);
        Fattr4 f = encoder(2).encode(Bitmap4.of(TIME_CREATE, MODE), file, fs.getattr(file));
        assertEquals(Bitmap4.of(MODE), f.mask());
    }

    @Test
    void negativeTimesEncodeWithPositiveNanoseconds() {
        XdrBuffer b = new XdrBuffer();
        Fattr4Encoder.putTime(b, -1);
        Wire w = new Wire(b.toByteArray());
        assertEquals(-1, w.readLong());
        assertEquals(999_999_999, w.readInt());
    }

    @Test
    void appendedFattr4MatchesStandaloneEncodingAndRdattrErrorForm() throws VfsException {
        Fattr4Encoder enc = encoder(2);
        Bitmap4 req = Bitmap4.of(TYPE, FILEID, MODE, OWNER, XATTR_SUPPORT, TIME_CREATE);
        XdrBuffer b = new XdrBuffer();
        b.putInt(0xdeadbeef);
        enc.encode(b, enc.plan(req), file, stat);
        XdrBuffer expected = new XdrBuffer();
        expected.putInt(0xdeadbeef);
        enc.encode(req, file, stat).encode(expected);
        assertArrayEquals(expected.toByteArray(), b.toByteArray());

        XdrBuffer e = new XdrBuffer();
        Fattr4Encoder.encodeRdattrError(e, 10001);
        Wire w = new Wire(e.toByteArray());
        assertEquals(Bitmap4.of(RDATTR_ERROR), w.readBitmap());
        assertEquals(4, w.readInt());
        assertEquals(10001, w.readInt());
    }

    @Test
    void everyReadableAttributeHasAValueLayoutForVerify() throws Exception {
        fs.setXattrSupported(true);
        Fattr4 f = encoder(2).encode(SupportedAttributes.READABLE_V42, file, stat);
        AttrValueReader r = new AttrValueReader(f.values());
        for (int a : f.mask().toArray()) {
            Fattr4Comparator.skipValue(r, a);
        }
        assertTrue(r.atEnd());
    }
}
