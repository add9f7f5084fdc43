package org.fsnap.server.attr;

import static org.fsnap.server.attr.AttributeId.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fattr4DecoderTest {
    @TempDir
    Path dir;
    OwnerMapper owners;

    @BeforeEach
    void owners() throws Exception {
        Path passwd = dir.resolve("passwd");
        Path group = dir.resolve("group");
        Files.writeString(passwd, "alice:x:1000:1000::/home/alice:/bin/sh\n");
        Files.writeString(group, "staff:x:50:\n");
        owners = new OwnerMapper("example.org", passwd, group);
    }

    static Fattr4 fattr(Bitmap4 mask, Consumer<XdrBuffer> values) {
        XdrBuffer b = new XdrBuffer();
        values.accept(b);
        return new Fattr4(mask, b.toByteArray());
    }

    private int status(Fattr4 f) {
        return assertThrows(NfsException.class, () -> Fattr4Decoder.toSetAttributes(f, owners))
                .status();
    }

    @Test
    void decodesEverySettableAttribute() throws NfsException {
        Bitmap4 mask = Bitmap4.of(SIZE, MODE, OWNER, OWNER_GROUP, TIME_ACCESS_SET,
                TIME_MODIFY_SET);
        Fattr4 f = fattr(mask, b -> b.putLong(12345).putInt(0640).putUtf8("alice@example.org")
                .putUtf8("50").putInt(Fattr4Decoder.SET_TO_CLIENT_TIME4).putLong(1_700_000_000L)
                .putInt(123_456_789).putInt(Fattr4Decoder.SET_TO_SERVER_TIME4));
        DecodedAttributes d = Fattr4Decoder.toSetAttributes(f, owners);
        SetAttributes c = d.changes();
        assertEquals(12345L, c.size());
        assertEquals(0640, c.mode());
        assertEquals(1000, c.uid());
        assertEquals(50, c.gid());
        assertEquals(1_700_000_000_123_456_789L, c.atimeNanos());
        assertEquals(SetAttributes.SET_TO_SERVER_TIME, c.mtimeNanos());
        assertEquals(mask, d.attrsSet());
    }

    /** A whole fattr4 as it arrives in SETATTR, decoded as the server does. */
    private static Fattr4 wire(String hex) throws XdrException {
        Xdr in = new Xdr(java.util.HexFormat.of().parseHex(hex));
        in.beginDecoding();
        return Fattr4.decode(new XdrInput(in));
    }

    /**
     * The SETATTR new_attributes the Linux 6.1 client sends (captured from the real client):
     * bitmap {0, 0x00410000} (time_access_set 48, time_modify_set 54), then the settime4
     * values in bit order.
     */
    @Test
    void decodesTheTimesTheLinuxClientSends() throws Exception {
        // touch -d 2001-01-01T00:00:00Z: both times SET_TO_CLIENT_TIME4 978307200.0
        DecodedAttributes d = Fattr4Decoder.toSetAttributes(wire("00000002" + "00000000"
                + "00410000" + "00000020" + "00000001" + "000000003a4fc880" + "00000000"
                + "00000001" + "000000003a4fc880" + "00000000"), owners);
        assertEquals(978_307_200_000_000_000L, d.changes().atimeNanos());
        assertEquals(978_307_200_000_000_000L, d.changes().mtimeNanos());
        assertEquals(Bitmap4.of(TIME_ACCESS_SET, TIME_MODIFY_SET), d.attrsSet());
        assertNull(d.changes().mode());
        assertNull(d.changes().size());

        // touch -m -d @1234567890.5: time_modify_set only, atime untouched
        d = Fattr4Decoder.toSetAttributes(wire("00000002" + "00000000" + "00400000"
                + "00000010" + "00000001" + "00000000499602d2" + "1dcd6500"), owners);
        assertNull(d.changes().atimeNanos());
        assertEquals(1_234_567_890_500_000_000L, d.changes().mtimeNanos());
        assertEquals(Bitmap4.of(TIME_MODIFY_SET), d.attrsSet());

        // touch -a -d @1234567890.25: time_access_set only, mtime untouched
        d = Fattr4Decoder.toSetAttributes(wire("00000002" + "00000000" + "00010000"
                + "00000010" + "00000001" + "00000000499602d2" + "0ee6b280"), owners);
        assertEquals(1_234_567_890_250_000_000L, d.changes().atimeNanos());
        assertNull(d.changes().mtimeNanos());

        // touch FILE: both SET_TO_SERVER_TIME4, no nfstime4
        d = Fattr4Decoder.toSetAttributes(wire("00000002" + "00000000" + "00410000"
                + "00000008" + "00000000" + "00000000"), owners);
        assertEquals(SetAttributes.SET_TO_SERVER_TIME, d.changes().atimeNanos());
        assertEquals(SetAttributes.SET_TO_SERVER_TIME, d.changes().mtimeNanos());
    }

    @Test
    void emptyBitmapIsNoChange() throws NfsException {
        DecodedAttributes d = Fattr4Decoder.toSetAttributes(Fattr4.EMPTY, owners);
        assertTrue(d.changes().isEmpty());
        assertTrue(d.attrsSet().isEmpty());
        assertEquals(Nfs4Status.NFS4ERR_BADXDR, status(fattr(Bitmap4.EMPTY, b -> b.putInt(1))));
    }

    @Test
    void negativeClientTimesAreBeforeTheEpoch() throws NfsException {
        Fattr4 f = fattr(Bitmap4.of(TIME_MODIFY_SET), b -> b.putInt(1).putLong(-2).putInt(500));
        assertEquals(-2_000_000_000L + 500, Fattr4Decoder.toSetAttributes(f, owners)
                .changes().mtimeNanos());
    }

    @Test
    void readOnlyAttributeIsInval() {
        assertEquals(Nfs4Status.NFS4ERR_INVAL,
                status(fattr(Bitmap4.of(MODE, CHANGE), b -> b.putInt(0644).putLong(1))));
        assertEquals(Nfs4Status.NFS4ERR_INVAL,
                status(fattr(Bitmap4.of(TIME_MODIFY), b -> b.putLong(1).putInt(0))));
        assertEquals(Nfs4Status.NFS4ERR_INVAL,
                status(fattr(Bitmap4.of(XATTR_SUPPORT), b -> b.putInt(1))));
        // read-only is judged before unsupported
        assertEquals(Nfs4Status.NFS4ERR_INVAL,
                status(fattr(Bitmap4.of(ACL, TYPE), b -> b.putInt(0).putInt(1))));
    }

    @Test
    void unsupportedSettableOrUndefinedAttributeIsAttrNotSupp() {
        assertEquals(Nfs4Status.NFS4ERR_ATTRNOTSUPP,
                status(fattr(Bitmap4.of(ACL), b -> b.putInt(0))));
        assertEquals(Nfs4Status.NFS4ERR_ATTRNOTSUPP,
                status(fattr(Bitmap4.of(MODE, MODE_UMASK), b -> b.putInt(0644).putInt(022))));
        assertEquals(Nfs4Status.NFS4ERR_ATTRNOTSUPP,
                status(fattr(Bitmap4.of(TIME_CREATE), b -> b.putLong(1).putInt(0))));
        assertEquals(Nfs4Status.NFS4ERR_ATTRNOTSUPP,
                status(fattr(Bitmap4.of(100), b -> b.putInt(0))));
    }

    @Test
    void malformedValuesAreBadXdr() {
        assertEquals(Nfs4Status.NFS4ERR_BADXDR,
                status(fattr(Bitmap4.of(SIZE, MODE), b -> b.putLong(1))));
        assertEquals(Nfs4Status.NFS4ERR_BADXDR,
                status(fattr(Bitmap4.of(MODE), b -> b.putInt(0644).putInt(0))));
        assertEquals(Nfs4Status.NFS4ERR_BADXDR,
                status(fattr(Bitmap4.of(OWNER), b -> b.putInt(100).putInt(0))));
        assertEquals(Nfs4Status.NFS4ERR_BADXDR,
                status(fattr(Bitmap4.of(OWNER), b -> b.putInt(-1))));
        assertEquals(Nfs4Status.NFS4ERR_BADXDR,
                status(fattr(Bitmap4.of(TIME_ACCESS_SET), b -> b.putInt(2))));
        assertEquals(Nfs4Status.NFS4ERR_BADXDR,
                status(fattr(Bitmap4.of(TIME_ACCESS_SET), b -> b.putInt(1).putLong(5))));
    }

    @Test
    void badModeOrTimeIsInval() {
        assertEquals(Nfs4Status.NFS4ERR_INVAL,
                status(fattr(Bitmap4.of(MODE), b -> b.putInt(010644))));
        assertEquals(Nfs4Status.NFS4ERR_INVAL,
                status(fattr(Bitmap4.of(MODE), b -> b.putInt(-1))));
        assertEquals(Nfs4Status.NFS4ERR_INVAL, status(fattr(Bitmap4.of(TIME_ACCESS_SET),
                b -> b.putInt(1).putLong(5).putInt(1_000_000_000))));
        assertEquals(Nfs4Status.NFS4ERR_INVAL, status(fattr(Bitmap4.of(TIME_MODIFY_SET),
                b -> b.putInt(1).putLong(Long.MAX_VALUE).putInt(0))));
    }

    @Test
    void unknownOwnerIsBadOwner() {
        assertEquals(Nfs4Status.NFS4ERR_BADOWNER,
                status(fattr(Bitmap4.of(OWNER), b -> b.putUtf8("mallory@example.org"))));
        assertEquals(Nfs4Status.NFS4ERR_BADOWNER,
                status(fattr(Bitmap4.of(OWNER_GROUP), b -> b.putUtf8("wheel"))));
        assertEquals(Nfs4Status.NFS4ERR_BADOWNER,
                status(fattr(Bitmap4.of(OWNER), b -> b.putOpaque(new byte[] {(byte) 0xff}))));
    }

    @Test
    void fattr4XdrRoundTripIsBounded() throws XdrException {
        Fattr4 f = fattr(Bitmap4.of(MODE, XATTR_SUPPORT), b -> b.putInt(0644).putInt(1));
        byte[] wire;
        try (Xdr xdr = new Xdr(64)) {
            xdr.beginEncoding();
            f.encode(new XdrOutput(xdr));
            xdr.endEncoding();
            wire = xdr.getBytes();
        }
        Xdr in = new Xdr(wire);
        in.beginDecoding();
        assertEquals(f, Fattr4.decode(new XdrInput(in)));

        XdrBuffer huge = new XdrBuffer();
        huge.putInt(1).putInt(1 << MODE).putInt(Integer.MAX_VALUE);
        Xdr in2 = new Xdr(huge.toByteArray());
        in2.beginDecoding();
        assertThrows(XdrException.class, () -> Fattr4.decode(new XdrInput(in2)));

        XdrBuffer wide = new XdrBuffer();
        wide.putInt(9);
        Xdr in3 = new Xdr(wide.toByteArray());
        in3.beginDecoding();
        assertThrows(XdrException.class, () -> Fattr4.decode(new XdrInput(in3)));
    }
}
