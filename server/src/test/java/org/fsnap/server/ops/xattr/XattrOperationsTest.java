package org.fsnap.server.ops.xattr;

import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_ACCESS;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_DQUOT;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_EXIST;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_INVAL;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_ISDIR;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_NAMETOOLONG;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_NOFILEHANDLE;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_NOTSUPP;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_NOXATTR;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_ROFS;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_TOOSMALL;
import static org.fsnap.server.nfs.Nfs4Status.NFS4ERR_XATTR2BIG;
import static org.fsnap.server.nfs.Nfs4Status.NFS4_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.fsnap.server.ServerContext;
import org.fsnap.server.attr.OwnerMapper;
import org.fsnap.server.compound.CompoundContext;
import org.fsnap.server.compound.OpResult;
import org.fsnap.server.compound.Operation;
import org.fsnap.server.compound.OperationDecoder;
import org.fsnap.server.ops.OpRunner;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.snapshot.SnapshotStackSupport;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GETXATTR, SETXATTR, LISTXATTRS, REMOVEXATTR over a real export with the snapshot stack. */
@Timeout(120)
class XattrOperationsTest extends SnapshotStackSupport {

    // ------------------------------------------------------------------ harness

    private CompoundContext ctx(Caller caller, Inode fh, int minor) {
        ServerContext server = new ServerContext(fs, null, null, null, null, new OwnerMapper("localdomain"), 90);
        CompoundContext c = new CompoundContext(server, caller, minor);
        if (fh != null) {
            c.setCurrentFh(fh);
        }
        return c;
    }

    private static OpResult run(Operation op, CompoundContext ctx) {
        return OpRunner.run(op, ctx);
    }

    private static ByteBuffer encoded(OpResult r) {
        try (Xdr xdr = new Xdr(1 << 17)) {
            xdr.beginEncoding();
            r.encode(new XdrOutput(xdr));
            xdr.endEncoding();
            return ByteBuffer.wrap(xdr.getBytes());
        }
    }

    /** Encodes arguments the way a client would, and decodes them with the operation's decoder. */
    private static Operation decode(OperationDecoder decoder, java.util.function.Consumer<Xdr> args)
            throws Exception {
        Xdr out = new Xdr(1 << 18);
        out.beginEncoding();
        args.accept(out);
        out.endEncoding();
        Xdr in = new Xdr(out.getBytes());
        in.beginDecoding();
        return decoder.decode(new XdrInput(in));
    }

    private static Operation get(String name) throws Exception {
        return decode(GetxattrOperation::decode, x -> x.xdrEncodeDynamicOpaque(utf8(name)));
    }

    private static Operation set(int option, String name, byte[] value) throws Exception {
        return decode(SetxattrOperation::decode, x -> {
            x.xdrEncodeInt(option);
            x.xdrEncodeDynamicOpaque(utf8(name));
            x.xdrEncodeDynamicOpaque(value);
        });
    }

    private static Operation remove(String name) throws Exception {
        return decode(RemovexattrOperation::decode, x -> x.xdrEncodeDynamicOpaque(utf8(name)));
    }

    private static Operation list(long cookie, int maxcount) throws Exception {
        return decode(ListxattrsOperation::decode, x -> {
            x.xdrEncodeLong(cookie);
            x.xdrEncodeInt(maxcount);
        });
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private int status(Operation op, Caller c, Inode fh) {
        return run(op, ctx(c, fh, 2)).status();
    }

    private record Listing(long cookie, List<String> names, boolean eof) {
    }

    private Listing listing(Caller c, Inode fh, long cookie, int maxcount) throws Exception {
        OpResult r = run(list(cookie, maxcount), ctx(c, fh, 2));
        assertEquals(NFS4_OK, r.status());
        ByteBuffer b = encoded(r);
        assertEquals(NFS4_OK, b.getInt());
        long next = b.getLong();
        int n = b.getInt();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] name = new byte[b.getInt()];
            b.get(name);
            b.position((b.position() + 3) & ~3);
            names.add(new String(name, StandardCharsets.UTF_8));
        }
        boolean eof = b.getInt() == 1;
        assertEquals(b.limit(), b.position(), "nothing after eof");
        assertTrue(encoded(r).limit() - 4 <= maxcount, "reply within maxcount");
        return new Listing(next, names, eof);
    }

    /** change_info4 of a SETXATTR/REMOVEXATTR reply: atomic, before, after. */
    private static long[] cinfo(OpResult r) {
        ByteBuffer b = encoded(r);
        assertEquals(NFS4_OK, b.getInt());
        return new long[] {b.getInt(), b.getLong(), b.getLong()};
    }

    // ------------------------------------------------------------------ tests

    @Test
    void getAndSetWithTheirErrors() throws Exception {
        Inode f = file(root(), "f", "x", ALICE, 0644);
        assertEquals(NFS4ERR_NOXATTR, status(get("color"), ALICE, f));
        assertEquals(NFS4ERR_NOXATTR, status(set(2, "color", utf8("red")), ALICE, f), "REPLACE of a missing one");
        OpResult made = run(set(1, "color", utf8("blue")), ctx(ALICE, f, 2));
        assertEquals(NFS4_OK, made.status());
        long[] ci = cinfo(made);
        assertTrue(ci[2] != ci[1], "change_info moves");
        assertEquals(NFS4ERR_EXIST, status(set(1, "color", utf8("green")), ALICE, f), "CREATE of an existing one");
        assertEquals(NFS4_OK, status(set(2, "color", utf8("green")), ALICE, f));
        assertEquals(NFS4_OK, status(set(0, "color", utf8("teal")), ALICE, f));
        OpResult got = run(get("color"), ctx(BOB, f, 2));
        ByteBuffer b = encoded(got);
        assertEquals(NFS4_OK, b.getInt());
        byte[] v = new byte[b.getInt()];
        b.get(v);
        assertEquals("teal", new String(v, StandardCharsets.UTF_8));

        assertEquals(NFS4ERR_ACCESS, status(set(0, "color", utf8("x")), BOB, f), "no write permission");
        Inode secret = file(root(), "secret", "x", ALICE, 0600);
        assertEquals(NFS4ERR_ACCESS, status(get("color"), BOB, secret));
        assertEquals(NFS4ERR_XATTR2BIG, status(set(0, "big", new byte[65537]), ALICE, f));
        assertEquals(NFS4_OK, status(set(0, "empty", new byte[0]), ALICE, f));
        assertEquals(NFS4ERR_INVAL, status(set(7, "color", utf8("x")), ALICE, f), "bad option");
        assertEquals(NFS4ERR_INVAL, status(get(""), ALICE, f));
        assertEquals(NFS4ERR_NAMETOOLONG, status(get("n".repeat(251)), ALICE, f));
        assertEquals(NFS4_OK, status(set(0, "n".repeat(250), utf8("x")), ALICE, f));
        assertEquals(NFS4ERR_INVAL, run(decode(GetxattrOperation::decode,
                x -> x.xdrEncodeDynamicOpaque(new byte[] {(byte) 0xff, 'a'})), ctx(ALICE, f, 2)).status(), "not UTF-8");
        assertEquals(NFS4ERR_NOTSUPP, run(get("color"), ctx(ALICE, f, 1)).status(), "NFSv4.2 only");
        assertEquals(NFS4ERR_NOFILEHANDLE, run(get("color"), ctx(ALICE, null, 2)).status());
    }

    @Test
    void removeWithItsErrors() throws Exception {
        Inode f = file(root(), "f", "x", ALICE, 0644);
        assertEquals(NFS4ERR_NOXATTR, status(remove("color"), ALICE, f));
        assertEquals(NFS4_OK, status(set(0, "color", utf8("blue")), ALICE, f));
        assertEquals(NFS4ERR_ACCESS, status(remove("color"), BOB, f));
        OpResult r = run(remove("color"), ctx(ALICE, f, 2));
        assertEquals(NFS4_OK, r.status());
        long[] ci = cinfo(r);
        assertTrue(ci[2] != ci[1]);
        assertEquals(NFS4ERR_NOXATTR, status(get("color"), ALICE, f));
        assertEquals(NFS4ERR_INVAL, status(remove("fsnap.list"), ALICE, f), "controls are not attributes");
    }

    @Test
    void listPagesWithCookiesAndLimits() throws Exception {
        Inode f = file(root(), "f", "x", ALICE, 0644);
        Listing empty = listing(ALICE, f, 0, 4096);
        assertEquals(List.of(), empty.names);
        assertTrue(empty.eof);
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String n = "attr-" + i;
            want.add(n);
            assertEquals(NFS4_OK, status(set(0, n, utf8("v" + i)), ALICE, f));
        }
        assertEquals(NFS4_OK, status(set(0, "fsnap.create", utf8("s1")), ALICE, f));
        Listing all = listing(ALICE, f, 0, 65536);
        assertTrue(all.eof);
        assertEquals(want.stream().sorted().toList(), all.names.stream().sorted().toList(),
                "every name once, controls never");
        // pages of about two names: 16 fixed bytes + 2 * (4 + 8)
        List<String> paged = new ArrayList<>();
        long cookie = 0;
        for (int i = 0; i < 20; i++) {
            Listing p = listing(ALICE, f, cookie, 40);
            assertTrue(p.names.size() <= 2 && (p.eof || !p.names.isEmpty()));
            paged.addAll(p.names);
            cookie = p.cookie;
            if (p.eof) {
                break;
            }
        }
        assertEquals(all.names, paged, "pages add up to the whole list, in order");
        assertEquals(NFS4ERR_TOOSMALL, run(list(0, 20), ctx(ALICE, f, 2)).status(), "not one name fits");
        assertEquals(NFS4ERR_TOOSMALL, run(list(0, 8), ctx(ALICE, f, 2)).status());
        Inode secret = file(root(), "secret", "x", ALICE, 0600);
        assertEquals(NFS4ERR_ACCESS, run(list(0, 4096), ctx(BOB, secret, 2)).status());
    }

    @Test
    void snapshotControlThroughTheOperations() throws Exception {
        Inode f = file(root(), "f", "ABCDEFGHIJ", ALICE, 0644);
        assertEquals(NFS4_OK, status(set(0, "fsnap.create", utf8("image1")), ALICE, f));
        assertEquals(NFS4ERR_EXIST, status(set(0, "fsnap.create", utf8("image1")), ALICE, f));
        assertEquals(NFS4ERR_NOXATTR, status(set(0, "fsnap.revert", utf8("nope")), ALICE, f));
        assertEquals(NFS4ERR_INVAL, status(set(0, "fsnap.create", utf8("a/b")), ALICE, f));
        assertEquals(NFS4ERR_INVAL, status(set(0, "fsnap.color", utf8("x")), ALICE, f));
        assertEquals(NFS4ERR_INVAL, status(get("fsnap.color"), ALICE, f));
        assertEquals(NFS4ERR_ACCESS, status(set(0, "fsnap.create", utf8("x")), BOB, f));
        assertEquals(NFS4ERR_ACCESS, status(set(0, "fsnap.revert", utf8("image1")), BOB, f));
        assertEquals(NFS4ERR_ISDIR, status(set(0, "fsnap.create", utf8("x")), ROOT, dir(root(), "d")));
        write(ALICE, f, "1234567890", 0);

        // a revert reports an "after" the change attribute never takes, so the client's next
        // GETATTR sees another value and drops its cached data
        long[] ci = cinfo(run(set(0, "fsnap.revert", utf8("image1")), ctx(ALICE, f, 2)));
        assertEquals(ci[1] ^ Long.MIN_VALUE, ci[2]);
        long now = fs.getattr(f).change();
        assertTrue(now != ci[1] && now != ci[2] && now >= 0, "the file's change attribute did move");
        assertEquals("ABCDEFGHIJ", read(ALICE, f));

        OpResult l = run(get("fsnap.list"), ctx(BOB, f, 2));
        ByteBuffer b = encoded(l);
        assertEquals(NFS4_OK, b.getInt());
        byte[] v = new byte[b.getInt()];
        b.get(v);
        assertEquals("image1\n", new String(v, StandardCharsets.UTF_8));

        Inode hist = fs.lookup(ROOT, fs.lookup(ROOT, root(), ".fsnap"), "f");
        Inode snap = fs.lookup(ROOT, hist, "image1");
        assertEquals(NFS4ERR_ROFS, status(set(0, "color", utf8("x")), ROOT, snap));
        assertEquals(NFS4ERR_ROFS, status(remove("color"), ROOT, snap));
        assertEquals(NFS4ERR_NOXATTR, status(get("color"), ROOT, snap));
        assertEquals(List.of(), listing(ROOT, snap, 0, 4096).names);
    }

    @Test
    void tooManySnapshotsIsDquot() throws Exception {
        fs.close();
        fs = org.fsnap.server.vfs.snapshot.SnapshotStack.build(export, local, 1);
        Inode f = file(root(), "f", "x", ALICE, 0644);
        assertEquals(NFS4_OK, status(set(0, "fsnap.create", utf8("a")), ALICE, f));
        assertEquals(NFS4ERR_DQUOT, status(set(0, "fsnap.create", utf8("b")), ALICE, f));
    }
}
