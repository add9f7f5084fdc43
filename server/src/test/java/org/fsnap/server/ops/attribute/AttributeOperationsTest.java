package org.fsnap.server.ops.attribute;

import static org.fsnap.server.attr.AttributeId.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.function.Consumer;
import org.fsnap.server.attr.Bitmap4;
import org.fsnap.server.attr.Fattr4Decoder;
import org.fsnap.server.attr.XdrBuffer;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.OperationRegistry;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.OpCode;
import org.fsnap.server.ops.attribute.OpHarness.Wire;
import org.fsnap.server.state.StateId;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.Stat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GETATTR, SETATTR, VERIFY, NVERIFY and ACCESS at the operation level. */
class AttributeOperationsTest {
    static final Caller ALICE = Caller.of(1000, 1000);
    static final Caller BOB = Caller.of(1001, 1001);
    /** What a root caller becomes after root squashing. */
    static final Caller SQUASHED = Caller.of(Caller.NOBODY, Caller.NOBODY);

    MemoryFileSystem fs;
    OpHarness h;
    Inode file;
    Inode dir;

    @BeforeEach
    void setUp() throws Exception {
        fs = new MemoryFileSystem();
        h = new OpHarness(fs);
        dir = fs.make(fs.root(), "home", FileType.DIRECTORY, 0755, 1000, 1000);
        file = fs.make(dir, "notes", FileType.REGULAR, 0640, 1000, 1000);
    }

    CompoundContext at(Inode inode, Caller who) {
        CompoundContext ctx = h.ctx(who);
        ctx.setCurrentFh(inode);
        return ctx;
    }

    static XdrBuffer fattr(Bitmap4 mask, Consumer<XdrBuffer> values) {
        XdrBuffer vals = new XdrBuffer();
        values.accept(vals);
        XdrBuffer b = new XdrBuffer();
        mask.encode(b);
        b.putOpaque(vals.toByteArray());
        return b;
    }

    @Test
    void allRegistered() {
        OperationRegistry r = new OperationRegistry();
        AttributeOperations.register(r);
        for (int op : new int[] {OpCode.GETATTR, OpCode.SETATTR, OpCode.VERIFY, OpCode.NVERIFY,
            OpCode.ACCESS, OpCode.READDIR}) {
            assertNotNull(r.decoderFor(op), "opcode " + op);
        }
    }

    // ---- GETATTR

    OpResult getattr(Inode inode, Bitmap4 mask) throws Exception {
        XdrBuffer args = new XdrBuffer();
        mask.encode(args);
        return OpHarness.run(GetattrOperation::decode, args, at(inode, ALICE));
    }

    @Test
    void getattrEncodesRequestedSupportedAttributes() throws Exception {
        Wire w = OpHarness.encode(getattr(file,
                Bitmap4.of(TYPE, SIZE, ACL, MODE, OWNER, OWNER_GROUP, XATTR_SUPPORT)));
        assertEquals(Nfs4Status.NFS4_OK, w.readInt());
        assertEquals(Bitmap4.of(TYPE, SIZE, MODE, OWNER, OWNER_GROUP, XATTR_SUPPORT),
                w.readBitmap());
        Wire v = new Wire(w.readOpaque());
        assertEquals(1, v.readInt());
        assertEquals(0, v.readLong());
        assertEquals(0640, v.readInt());
        assertEquals("1000", v.readString());
        assertEquals("1000", v.readString());
        assertFalse(v.readBoolean());
        assertEquals(0, w.remaining());
    }

    @Test
    void getattrErrors() throws Exception {
        fs.remove(Caller.root(), dir, "notes");
        assertEquals(Nfs4Status.NFS4ERR_STALE, getattr(file, Bitmap4.of(TYPE)).status());
        assertEquals(Nfs4Status.NFS4ERR_INVAL,
                getattr(dir, Bitmap4.of(TYPE, TIME_ACCESS_SET)).status());
        XdrBuffer args = new XdrBuffer();
        Bitmap4.of(TYPE).encode(args);
        assertEquals(Nfs4Status.NFS4ERR_NOFILEHANDLE,
                OpHarness.run(GetattrOperation::decode, args, h.ctx(ALICE)).status());
        Wire w = OpHarness.encode(getattr(file, Bitmap4.of(TYPE)));
        assertEquals(Nfs4Status.NFS4ERR_STALE, w.readInt());
        assertEquals(0, w.remaining());
    }

    // ---- SETATTR

    Wire setattr(Inode inode, Caller who, StateId sid, XdrBuffer fattr) throws Exception {
        XdrBuffer args = new XdrBuffer();
        args.putInt(sid.seqid()).putFixedOpaque(sid.other());
        args.putRaw(fattr.toByteArray(), 0, fattr.position());
        OpResult r = OpHarness.run(SetattrOperation::decode, args, at(inode, who));
        Wire w = OpHarness.encode(r);
        assertEquals(r.status(), w.readInt());
        return w;
    }

    @Test
    void setattrChangesModeOwnerSizeTimes() throws Exception {
        Bitmap4 mask = Bitmap4.of(SIZE, MODE, OWNER_GROUP, TIME_ACCESS_SET, TIME_MODIFY_SET);
        Wire w = setattr(file, ALICE, StateId.ANONYMOUS, fattr(mask, b -> b.putLong(4096)
                .putInt(0600).putUtf8("1000").putInt(Fattr4Decoder.SET_TO_CLIENT_TIME4)
                .putLong(1_000_000).putInt(5).putInt(Fattr4Decoder.SET_TO_SERVER_TIME4)));
        assertEquals(mask, w.readBitmap());
        assertEquals(0, w.remaining());
        Stat st = fs.getattr(file);
        assertEquals(4096, st.size());
        assertEquals(0600, st.mode());
        assertEquals(1_000_000_000_000_005L, st.atimeNanos());

        w = setattr(file, Caller.root(), StateId.ANONYMOUS,
                fattr(Bitmap4.of(OWNER), b -> b.putUtf8("1001")));
        assertEquals(Bitmap4.of(OWNER), w.readBitmap());
        assertEquals(1001, fs.getattr(file).uid());
    }

    @Test
    void setattrErrorArmsCarryAnEmptyAttrsset() throws Exception {
        record Case(int status, Inode inode, Caller who, XdrBuffer fattr) {
        }
        Case[] cases = {
            new Case(Nfs4Status.NFS4ERR_INVAL, file, ALICE,
                    fattr(Bitmap4.of(MODE), b -> b.putInt(017777))),
            new Case(Nfs4Status.NFS4ERR_INVAL, file, ALICE,
                    fattr(Bitmap4.of(MODE, FILEID), b -> b.putInt(0600).putLong(3))),
            new Case(Nfs4Status.NFS4ERR_ATTRNOTSUPP, file, ALICE,
                    fattr(Bitmap4.of(ACL), b -> b.putInt(0))),
            new Case(Nfs4Status.NFS4ERR_BADOWNER, file, Caller.root(),
                    fattr(Bitmap4.of(OWNER), b -> b.putUtf8("nosuchuser@nowhere"))),
            new Case(Nfs4Status.NFS4ERR_BADXDR, file, ALICE,
                    fattr(Bitmap4.of(MODE, SIZE), b -> b.putInt(0600))),
            new Case(Nfs4Status.NFS4ERR_PERM, file, BOB,
                    fattr(Bitmap4.of(MODE), b -> b.putInt(0777))),
            new Case(Nfs4Status.NFS4ERR_ACCESS, file, BOB,
                    fattr(Bitmap4.of(SIZE), b -> b.putLong(0))),
            new Case(Nfs4Status.NFS4ERR_PERM, file, SQUASHED,
                    fattr(Bitmap4.of(OWNER), b -> b.putUtf8("0"))),
            new Case(Nfs4Status.NFS4ERR_ISDIR, dir, ALICE,
                    fattr(Bitmap4.of(SIZE), b -> b.putLong(0))),
        };
        for (Case c : cases) {
            Wire w = setattr(c.inode(), c.who(), StateId.ANONYMOUS, c.fattr());
            assertEquals(Bitmap4.EMPTY, w.readBitmap(), "attrsset of " + c.status());
            assertEquals(0, w.remaining());
        }
        for (Case c : cases) {
            XdrBuffer args = new XdrBuffer();
            args.putInt(0).putFixedOpaque(new byte[12]);
            args.putRaw(c.fattr().toByteArray(), 0, c.fattr().position());
            assertEquals(c.status(), OpHarness.run(SetattrOperation::decode, args,
                    at(c.inode(), c.who())).status());
        }
        assertEquals(0640, fs.getattr(file).mode());
        assertEquals(1000, fs.getattr(file).uid());
    }

    @Test
    void setattrWithCurrentStateidButNoneSetIsBadStateid() throws Exception {
        Wire w = setattr(file, ALICE, StateId.CURRENT,
                fattr(Bitmap4.of(MODE), b -> b.putInt(0600)));
        assertEquals(Bitmap4.EMPTY, w.readBitmap());
        XdrBuffer args = new XdrBuffer();
        args.putInt(1).putFixedOpaque(new byte[12]);
        XdrBuffer f = fattr(Bitmap4.of(MODE), b -> b.putInt(0600));
        args.putRaw(f.toByteArray(), 0, f.position());
        assertEquals(Nfs4Status.NFS4ERR_BAD_STATEID,
                OpHarness.run(SetattrOperation::decode, args, at(file, ALICE)).status());
    }

    @Test
    void sizeChangeChecksTheStateid() throws Exception {
        StateId foreign = new StateId(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        XdrBuffer truncate = fattr(Bitmap4.of(SIZE), b -> b.putLong(0));
        XdrBuffer args = new XdrBuffer();
        args.putInt(foreign.seqid()).putFixedOpaque(foreign.other());
        args.putRaw(truncate.toByteArray(), 0, truncate.position());
        OpResult r = OpHarness.run(SetattrOperation::decode, args, at(file, ALICE));
        assertNotEquals(Nfs4Status.NFS4_OK, r.status());
        Wire w = OpHarness.encode(r);
        w.readInt();
        assertEquals(Bitmap4.EMPTY, w.readBitmap());
        // mode changes do not consult the stateid
        Wire ok = setattr(file, ALICE, foreign, fattr(Bitmap4.of(MODE), b -> b.putInt(0600)));
        assertEquals(Bitmap4.of(MODE), ok.readBitmap());
    }

    // ---- VERIFY / NVERIFY

    int verify(boolean negated, Inode inode, XdrBuffer fattr) throws Exception {
        return OpHarness.run(negated ? VerifyOperation::decodeNverify
                : VerifyOperation::decodeVerify, fattr, at(inode, ALICE)).status();
    }

    @Test
    void verifyAndNverify() throws Exception {
        Stat st = fs.getattr(file);
        XdrBuffer same = fattr(Bitmap4.of(TYPE, CHANGE, SIZE, FILEHANDLE, MODE, OWNER),
                b -> b.putInt(1).putLong(st.change()).putLong(0).putOpaque(file.handle())
                        .putInt(0640).putUtf8("1000"));
        assertEquals(Nfs4Status.NFS4_OK, verify(false, file, same));
        assertEquals(Nfs4Status.NFS4ERR_SAME, verify(true, file, same));

        XdrBuffer otherSize = fattr(Bitmap4.of(SIZE), b -> b.putLong(7));
        assertEquals(Nfs4Status.NFS4ERR_NOT_SAME, verify(false, file, otherSize));
        assertEquals(Nfs4Status.NFS4_OK, verify(true, file, otherSize));

        XdrBuffer otherOwner = fattr(Bitmap4.of(OWNER), b -> b.putUtf8("1001"));
        assertEquals(Nfs4Status.NFS4ERR_NOT_SAME, verify(false, file, otherOwner));
        XdrBuffer unknownOwner = fattr(Bitmap4.of(OWNER), b -> b.putUtf8("ghost@x"));
        assertEquals(Nfs4Status.NFS4ERR_NOT_SAME, verify(false, file, unknownOwner));

        XdrBuffer supported = fattr(Bitmap4.of(SUPPORTED_ATTRS),
                b -> new org.fsnap.server.attr.Fattr4Encoder(fs, h.owners, 90, 2).supported()
                        .encode(b));
        assertEquals(Nfs4Status.NFS4_OK, verify(false, file, supported));
    }

    @Test
    void verifyErrors() throws Exception {
        assertEquals(Nfs4Status.NFS4ERR_INVAL,
                verify(false, file, fattr(Bitmap4.of(RDATTR_ERROR), b -> b.putInt(0))));
        assertEquals(Nfs4Status.NFS4ERR_INVAL,
                verify(true, file, fattr(Bitmap4.of(TIME_MODIFY_SET), b -> b.putInt(0))));
        assertEquals(Nfs4Status.NFS4ERR_ATTRNOTSUPP,
                verify(false, file, fattr(Bitmap4.of(ACL), b -> b.putInt(0))));
        assertEquals(Nfs4Status.NFS4ERR_BADXDR,
                verify(false, file, fattr(Bitmap4.of(SIZE, MODE), b -> b.putLong(0))));
        assertEquals(Nfs4Status.NFS4ERR_BADXDR,
                verify(false, file, fattr(Bitmap4.of(MODE), b -> b.putInt(0640).putInt(0))));
    }

    // ---- ACCESS

    record Granted(int supported, int access) {
    }

    Granted access(Inode inode, Caller who, int bits) throws Exception {
        XdrBuffer args = new XdrBuffer();
        args.putInt(bits);
        OpResult r = OpHarness.run(AccessOperation::decode, args, at(inode, who));
        Wire w = OpHarness.encode(r);
        int status = w.readInt();
        if (status != Nfs4Status.NFS4_OK) {
            return new Granted(-status, -status);
        }
        return new Granted(w.readInt(), w.readInt());
    }

    static final int FILE_ASK = Access.READ | Access.MODIFY | Access.EXTEND | Access.DELETE
            | Access.EXECUTE | Access.LOOKUP;
    static final int DIR_ASK = Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND
            | Access.DELETE;

    @Test
    void accessForOwnerGroupOtherAndSquashedRoot() throws Exception {
        int fileBits = Access.READ | Access.MODIFY | Access.EXTEND | Access.EXECUTE;
        assertEquals(new Granted(fileBits, Access.READ | Access.MODIFY | Access.EXTEND),
                access(file, ALICE, FILE_ASK));
        Caller groupMate = Caller.of(1002, 2000, 1000);
        assertEquals(new Granted(fileBits, Access.READ), access(file, groupMate, FILE_ASK));
        assertEquals(new Granted(fileBits, 0), access(file, BOB, FILE_ASK));
        assertEquals(new Granted(fileBits, 0), access(file, SQUASHED, FILE_ASK));
        assertEquals(new Granted(fileBits, Access.READ | Access.MODIFY | Access.EXTEND),
                access(file, Caller.root(), FILE_ASK));

        assertEquals(new Granted(DIR_ASK, DIR_ASK), access(dir, ALICE, DIR_ASK));
        assertEquals(new Granted(DIR_ASK, Access.READ | Access.LOOKUP),
                access(dir, SQUASHED, DIR_ASK));
    }

    @Test
    void xattrBitsOnlyWhereSupported() throws Exception {
        int xa = Access.XAREAD | Access.XAWRITE | Access.XALIST;
        assertEquals(new Granted(Access.READ, Access.READ),
                access(file, ALICE, Access.READ | xa));
        fs.setXattrSupported(true);
        assertEquals(new Granted(Access.READ | xa, Access.READ | xa),
                access(file, ALICE, Access.READ | xa));
        assertEquals(new Granted(xa, Access.XAREAD | Access.XALIST), access(file, Caller.of(
                1002, 2000, 1000), xa));
    }

    @Test
    void undefinedAccessBitsAreInval() throws Exception {
        assertEquals(new Granted(-Nfs4Status.NFS4ERR_INVAL, -Nfs4Status.NFS4ERR_INVAL),
                access(file, ALICE, 0x200));
        assertEquals(new Granted(0, 0), access(file, ALICE, 0));
    }
}
