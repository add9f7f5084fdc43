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
