package org.fsnap.server.ops.xattr;

import static org.fsnap.server.testclient.Nfs4.NFS4ERR_ACCESS;
import static org.fsnap.server.testclient.Nfs4.NFS4ERR_EXIST;
import static org.fsnap.server.testclient.Nfs4.NFS4ERR_INVAL;
import static org.fsnap.server.testclient.Nfs4.NFS4ERR_NOENT;
import static org.fsnap.server.testclient.Nfs4.NFS4ERR_ROFS;
import static org.fsnap.server.testclient.Nfs4.NFS4_OK;
import static org.fsnap.server.testclient.Nfs4.OPEN4_SHARE_ACCESS_BOTH;
import static org.fsnap.server.testclient.Nfs4.OPEN4_SHARE_ACCESS_READ;
import static org.fsnap.server.testclient.Nfs4.OP_GETFH;
import static org.fsnap.server.testclient.Nfs4.OP_OPEN;
import static org.fsnap.server.testclient.Nfs4.OP_OPENATTR;
import static org.fsnap.server.testclient.Nfs4.OP_READ;
import static org.fsnap.server.testclient.Nfs4.OP_READDIR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.OpCode;
import org.fsnap.server.testclient.AuthSys;
import org.fsnap.server.testclient.CompoundBuilder;
import org.fsnap.server.testclient.CompoundReply;
import org.fsnap.server.testclient.FattrBuilder;
import org.fsnap.server.testclient.Nfs4Client;
import org.fsnap.server.testclient.OpReply;
import org.fsnap.server.testclient.OpenHow;
import org.fsnap.server.testclient.Stateid;
import org.fsnap.server.testclient.TestServer;
import org.fsnap.server.testclient.XdrReader;
import org.fsnap.server.vfs.snapshot.SnapshotStackSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Through the wire, with the project's test client against an in-process server over a real
 * export with the snapshot stack: the xattr operations' error paths, the snapshot control,
 * the .fsnap view, and named attributes (OPENATTR, then OPEN/READ/WRITE/READDIR/REMOVE).
 * The test client does not parse the results of the 4.2 xattr operations nor OPENATTR, so
 * these come last in their COMPOUNDs and are read from the raw reply here.
 */
@Timeout(120)
class SnapshotsOverProtocolTest extends SnapshotStackSupport {
    private TestServer server;
    private Nfs4Client alice;
    private Nfs4Client bob;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start(fs);
        alice = server.client().as(AuthSys.of(1000, 1000));
        bob = server.client().as(AuthSys.of(2000, 2000));
    }

    @AfterEach
    void stopServer() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {alice, bob, server}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private CompoundBuilder at(Nfs4Client c, String path) {
        return c.compound().minorVersion(2).sequence().putrootfh().lookupPath(path);
    }

    private static CompoundBuilder setxattr(CompoundBuilder b, int option, String name, String value) {
        return b.op(OpCode.SETXATTR, w -> w.writeInt(option).writeString(name)
                .writeOpaque(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static CompoundBuilder getxattr(CompoundBuilder b, String name) {
        return b.op(OpCode.GETXATTR, w -> w.writeString(name));
    }

    /** The value of a GETXATTR that ended the compound. */
    private static String value(CompoundReply r) {
        r.assertOk();
        return new String(new XdrReader(r.last().body()).readOpaque(), StandardCharsets.UTF_8);
    }

    @Test
    void xattrOperationErrorsOnTheWire() throws Exception {
        file(root(), "f", "x", ALICE, 0644);
        assertEquals(Nfs4Status.NFS4ERR_NOXATTR, getxattr(at(alice, "f"), "color").send().status());
        assertEquals(NFS4_OK, setxattr(at(alice, "f"), 1, "color", "blue").send().status());
        assertEquals(NFS4ERR_EXIST, setxattr(at(alice, "f"), 1, "color", "red").send().status());
        assertEquals(Nfs4Status.NFS4ERR_NOXATTR, setxattr(at(alice, "f"), 2, "shape", "x").send().status());
        assertEquals(NFS4ERR_ACCESS, setxattr(at(bob, "f"), 0, "color", "red").send().status());
        assertEquals(NFS4ERR_INVAL, getxattr(at(alice, "f"), "").send().status());
        assertEquals(Nfs4Status.NFS4ERR_NAMETOOLONG, getxattr(at(alice, "f"), "n".repeat(251)).send().status());
        assertEquals(Nfs4Status.NFS4ERR_XATTR2BIG, at(alice, "f").op(OpCode.SETXATTR,
                w -> w.writeInt(0).writeString("big").writeOpaque(new byte[70000])).send().status());
        assertEquals("blue", value(getxattr(at(bob, "f"), "color").send()));

        CompoundReply l = at(alice, "f").op(OpCode.LISTXATTRS, w -> w.writeLong(0).writeInt(4096)).send();
        l.assertOk();
        XdrReader r = new XdrReader(l.last().body());
        r.readLong();
        assertEquals(1, r.readInt());
        assertEquals("color", r.readString());
        assertTrue(r.readBoolean());
        assertEquals(Nfs4Status.NFS4ERR_TOOSMALL,
                at(alice, "f").op(OpCode.LISTXATTRS, w -> w.writeLong(0).writeInt(20)).send().status());

        CompoundReply rm = at(alice, "f").op(OpCode.REMOVEXATTR, w -> w.writeString("color")).send();
        rm.assertOk();
        XdrReader ci = new XdrReader(rm.last().body());
        ci.readBoolean();
        long before = ci.readLong();
        assertTrue(ci.readLong() != before, "change_info moves");
        assertEquals(Nfs4Status.NFS4ERR_NOXATTR,
                at(alice, "f").op(OpCode.REMOVEXATTR, w -> w.writeString("color")).send().status());
        // NFSv4.1 compounds do not have them
        assertEquals(Nfs4Status.NFS4ERR_NOTSUPP, alice.compound().sequence().putrootfh().lookup("f")
                .op(OpCode.GETXATTR, w -> w.writeString("color")).send().status());
    }

    @Test
    void snapshotControlAndViewOnTheWire() throws Exception {
        file(root(), "f", "ABCDEFGHIJ", ALICE, 0644);
        assertEquals(NFS4_OK, setxattr(at(alice, "f"), 0, "fsnap.create", "image1").send().status());
        assertEquals(NFS4ERR_EXIST, setxattr(at(alice, "f"), 0, "fsnap.create", "image1").send().status());
        assertEquals(Nfs4Status.NFS4ERR_NOXATTR, setxattr(at(alice, "f"), 0, "fsnap.revert", "no").send().status());
        assertEquals(NFS4ERR_INVAL, setxattr(at(alice, "f"), 0, "fsnap.create", "a/b").send().status());
        assertEquals(NFS4ERR_ACCESS, setxattr(at(bob, "f"), 0, "fsnap.create", "x").send().status());
        assertEquals("image1\n", value(getxattr(at(bob, "f"), "fsnap.list").send()));
        assertEquals("image1", value(getxattr(at(alice, "f"), "fsnap.current").send()));

        // the view: found by name, not listed, read-only, readable
        CompoundReply root = alice.compound().sequence().putrootfh()
                .readdir(0, new byte[8], 4096, 32768).send().assertOk();
        List<String> names = root.find(OP_READDIR).readdir().names();
        assertTrue(names.contains("f") && !names.contains(".fsnap") && !names.contains(".fsnap-store"), names.toString());
        CompoundReply hist = alice.compound().sequence().putrootfh().lookupPath(".fsnap/f")
                .readdir(0, new byte[8], 4096, 32768).send().assertOk();
        assertEquals(List.of("image1"), hist.find(OP_READDIR).readdir().names());
        assertEquals(NFS4ERR_NOENT, alice.compound().sequence().putrootfh().lookup(".fsnap-store").send().status());
        assertEquals(NFS4ERR_ROFS, alice.compound().sequence().putrootfh().lookupPath(".fsnap/f")
                .remove("image1").send().status());
        assertEquals(NFS4ERR_EXIST, alice.compound().sequence().putrootfh()
                .mkdir(".fsnap", FattrBuilder.attrs().mode(0755)).send().status());
        CompoundReply open = alice.compound().sequence().putrootfh().lookupPath(".fsnap/f")
                .open("image1", OPEN4_SHARE_ACCESS_READ, 0, alice.clientId(), alice.ownerId(), OpenHow.noCreate())
                .read(Stateid.CURRENT, 0, 100).send();
        if (open.status() == NFS4_OK) {
            assertEquals("ABCDEFGHIJ", new String(open.find(OP_READ).read().data(), StandardCharsets.UTF_8));
        } else {
            // OPEN of a snapshot needs the state operations to accept it; READ with the
            // anonymous stateid must work regardless
            CompoundReply anon = alice.compound().sequence().putrootfh().lookupPath(".fsnap/f/image1")
                    .read(Stateid.ANONYMOUS, 0, 100).send().assertOk();
            assertEquals("ABCDEFGHIJ", new String(anon.find(OP_READ).read().data(), StandardCharsets.UTF_8));
        }

        // revert: change_info's "after" is a value the change attribute never takes
        write(ALICE, fs.lookup(ROOT, root(), "f"), "1234567890", 0);
        CompoundReply rv = setxattr(at(alice, "f"), 0, "fsnap.revert", "image1").send().assertOk();
        XdrReader ci = new XdrReader(rv.last().body());
        ci.readBoolean();
        assertEquals(ci.readLong() ^ Long.MIN_VALUE, ci.readLong());
        assertEquals("ABCDEFGHIJ", read(ALICE, fs.lookup(ROOT, root(), "f")));
    }

    /** The filehandle of f's named attribute directory, by OPENATTR then GETFH. */
    private byte[] attrDir(Nfs4Client c, String path, boolean create) throws Exception {
        CompoundReply r = at(c, path).op(OP_OPENATTR, w -> w.writeBoolean(create)).getfh().send();
        assertEquals(NFS4_OK, r.status(), r.toString());
        OpReply openattr = r.find(OP_OPENATTR);
        XdrReader rest = new XdrReader(openattr.body()); // GETFH's result follows, unparsed
        assertEquals(OP_GETFH, rest.readInt());
        assertEquals(NFS4_OK, rest.readInt());
        return rest.readOpaque();
    }

    @Test
    void namedAttributesOnTheWire() throws Exception {
        file(root(), "f", "ABCDEFGHIJ", ALICE, 0644);
        fs.setXattr(ALICE, fs.lookup(ROOT, root(), "f"), "color",
                "blue".getBytes(StandardCharsets.UTF_8), org.fsnap.server.vfs.XattrSetMode.EITHER);
        byte[] dir = attrDir(alice, "f", false);
        assertArrayEquals(dir, attrDir(alice, "f", true), "one directory, stable handle");
        // OPENATTR of a named attribute directory is WRONG_TYPE
        assertEquals(Nfs4Status.NFS4ERR_WRONG_TYPE, alice.compound().sequence().putfh(dir)
                .op(OP_OPENATTR, w -> w.writeBoolean(false)).send().status());

        List<String> problems = new ArrayList<>();
        CompoundReply listed = alice.compound().sequence().putfh(dir)
                .readdir(0, new byte[8], 4096, 32768).send();
        if (listed.ok()) {
            assertEquals(List.of("color"), listed.find(OP_READDIR).readdir().names());
        } else {
            problems.add("READDIR in a named attribute directory: " + listed.status());
        }
        CompoundReply looked = alice.compound().sequence().putfh(dir).lookup("color").getfh().send();
        if (!looked.ok()) {
            problems.add("LOOKUP in a named attribute directory: " + looked.status());
        }
        CompoundReply made = alice.compound().sequence().putfh(dir)
                .open("fsnap.create", OPEN4_SHARE_ACCESS_BOTH, 0, alice.clientId(), alice.ownerId(),
                        OpenHow.noCreate())
                .write(Stateid.CURRENT, 0, 2, "image1".getBytes(StandardCharsets.UTF_8)).send();
        if (made.ok()) {
            assertEquals("image1\n", query(ALICE, fs.lookup(ROOT, root(), "f"), "fsnap.list"));
            CompoundReply list = alice.compound().sequence().putfh(dir)
                    .open("fsnap.list", OPEN4_SHARE_ACCESS_READ, 0, alice.clientId(), alice.ownerId(),
                            OpenHow.noCreate())
                    .read(Stateid.CURRENT, 0, 4096).send().assertOk();
            assertEquals("image1\n", new String(list.find(OP_READ).read().data(), StandardCharsets.UTF_8));
            CompoundReply created = alice.compound().sequence().putfh(dir)
                    .open("shape", OPEN4_SHARE_ACCESS_BOTH, 0, alice.clientId(), alice.ownerId(),
                            OpenHow.unchecked(FattrBuilder.attrs()))
                    .write(Stateid.CURRENT, 0, 2, "round".getBytes(StandardCharsets.UTF_8)).send().assertOk();
            assertEquals("round", new String(fs.getXattr(ALICE, fs.lookup(ROOT, root(), "f"), "shape"),
                    StandardCharsets.UTF_8));
            assertFalse(created.find(OP_OPEN).open().stateid() == null);
        } else {
            problems.add("OPEN+WRITE of a named attribute: " + made.status());
        }
        CompoundReply removed = alice.compound().sequence().putfh(dir).remove("color").send();
        if (!removed.ok()) {
            problems.add("REMOVE in a named attribute directory: " + removed.status());
        }
        assertEquals(List.of(), problems, "operations refusing named attributes");
    }
}
