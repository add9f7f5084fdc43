package org.fsnap.server.vfs.export;

import static org.fsnap.server.testclient.Nfs4.ACCESS4_DELETE;
import static org.fsnap.server.testclient.Nfs4.ACCESS4_EXTEND;
import static org.fsnap.server.testclient.Nfs4.ACCESS4_LOOKUP;
import static org.fsnap.server.testclient.Nfs4.ACCESS4_MODIFY;
import static org.fsnap.server.testclient.Nfs4.ACCESS4_READ;
import static org.fsnap.server.testclient.Nfs4.FILE_SYNC4;
import static org.fsnap.server.testclient.Nfs4.OPEN4_SHARE_ACCESS_BOTH;
import static org.fsnap.server.testclient.Nfs4.OPEN4_SHARE_ACCESS_READ;
import static org.fsnap.server.testclient.Nfs4.OPEN4_SHARE_ACCESS_WRITE;
import static org.fsnap.server.testclient.Nfs4.OP_ACCESS;
import static org.fsnap.server.testclient.Nfs4.OP_GETATTR;
import static org.fsnap.server.testclient.Nfs4.OP_GETFH;
import static org.fsnap.server.testclient.Nfs4.OP_READDIR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.fsnap.config.ExportTable;
import org.fsnap.config.ExportsFile;
import org.fsnap.config.HostResolver;
import org.fsnap.config.ListenAddress;
import org.fsnap.config.ServerOptions;
import org.fsnap.server.ServedExports;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.OpCode;
import org.fsnap.server.testclient.AuthSys;
import org.fsnap.server.testclient.CompoundBuilder;
import org.fsnap.server.testclient.CompoundReply;
import org.fsnap.server.testclient.Fattr;
import org.fsnap.server.testclient.FattrBuilder;
import org.fsnap.server.testclient.Nfs4Client;
import org.fsnap.server.testclient.OpenHow;
import org.fsnap.server.testclient.RawRpcConnection;
import org.fsnap.server.testclient.Stateid;
import org.fsnap.server.testclient.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exports file served as fsnapd serves it ({@link ServedExports}: real directories, snapshot
 * stacks, gates, pseudo-root), driven over the wire by the protocol test client from 127.0.0.1
 * (and 127.0.0.2 as another client), from unprivileged ports unless said.
 */
@Timeout(120)
class ExportsOverProtocolTest {
    @TempDir
    Path tmp;

    Path rw;
    Path ro;
    Path other;
    Path secure;
    Path squash;
    Path all;
    ServerOptions options;
    ServedExports served;
    TestServer server;
    Nfs4Client client;

    @BeforeEach
    void serve() throws Exception {
        rw = dir("srv/rw");
        ro = dir("srv/ro");
        other = dir("srv/other");
        secure = dir("data/secure");
        squash = dir("data/squash");
        all = dir("data/all");
        Files.writeString(ro.resolve("f"), "read me\n");
        String text = String.join("\n",
                rw + " 127.0.0.1(rw,insecure,no_root_squash)",
                ro + " 127.0.0.1(ro,insecure,no_root_squash)",
                other + " 127.0.0.2(rw,insecure) 192.0.2.0/24(rw,insecure)",
                secure + " 127.0.0.1(rw,no_root_squash)",
                squash + " 127.0.0.1(rw,insecure)",
                all + " 127.0.0.1(rw,insecure,all_squash,anonuid=1234,anongid=1234)",
                "");
        Path file = Files.writeString(tmp.resolve("exports"), text);
        ExportTable table = ExportsFile.read(file, HostResolver.none());
        options = ServerOptions.defaults(null, new ListenAddress("127.0.0.1", 0)).withExports(file, table);
        start();
    }

    private Path dir(String name) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        return d;
    }

    private void start() throws Exception {
        served = ServedExports.open(options);
        server = TestServer.start(served.top());
        client = server.client();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {client, server, served}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private CompoundBuilder at(Nfs4Client c, Path path) {
        return c.compound().minorVersion(2).sequence().putrootfh().lookupPath(path.toString());
    }

    private Nfs4Client clientFrom(String address, int port) throws IOException {
        return new Nfs4Client(new RawRpcConnection(server.address(), new InetSocketAddress(address, port)),
                AuthSys.root()).establishSession();
    }

    @Test
    void aClientWithoutAnEntryGetsAccess() throws Exception {
        assertEquals(Nfs4Status.NFS4ERR_ACCESS, at(client, other).getfh().send().status());
        try (Nfs4Client second = clientFrom("127.0.0.2", 0)) {
            at(second, other).getfh().send().assertOk();
            assertEquals(Nfs4Status.NFS4ERR_ACCESS, at(second, rw).getfh().send().status());
            // it sees only the way to its export
            CompoundReply r = second.compound().sequence().putrootfh().lookupPath(tmp + "/srv")
                    .readdir(0, new byte[8], 4096, 8192, org.fsnap.server.testclient.Attr.TYPE).send().assertOk();
            assertEquals(List.of("other"), r.find(OP_READDIR).readdir().names());
        }
    }

    @Test
    void readOnlyExportAnswersRofs() throws Exception {
        Path f = ro.resolve("f");
        // OPEN create, OPEN of an existing file for writing, WRITE, SETATTR, SETXATTR, REMOVE
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, ro).open("new", OPEN4_SHARE_ACCESS_BOTH, 0,
                client.clientId(), client.ownerId(), OpenHow.unchecked(FattrBuilder.attrs().mode(0644))).send().status());
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, ro).open("f", OPEN4_SHARE_ACCESS_WRITE, 0,
                client.clientId(), client.ownerId(), OpenHow.noCreate()).send().status());
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, ro).open("f", OPEN4_SHARE_ACCESS_READ, 0,
                client.clientId(), client.ownerId(), OpenHow.unchecked(FattrBuilder.attrs().size(0))).send().status(),
                "an OPEN that truncates");
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, f).write(Stateid.ANONYMOUS, 0, FILE_SYNC4,
                "x".getBytes(StandardCharsets.UTF_8)).send().status());
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, f).setattr(Stateid.ANONYMOUS,
                FattrBuilder.attrs().mode(0600)).send().status());
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, f).setattr(Stateid.ANONYMOUS,
                FattrBuilder.attrs().mtime(978307200, 0).atime(978307200, 0)).send().status(), "touch -d");
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, f).setattr(Stateid.ANONYMOUS,
                FattrBuilder.attrs().mtimeNow()).send().status(), "touch");
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, f).op(OpCode.SETXATTR, w -> w.writeInt(0)
                .writeString("fsnap.create").writeOpaque("v1".getBytes(StandardCharsets.UTF_8))).send().status());
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, f).op(OpCode.SETXATTR, w -> w.writeInt(0)
                .writeString("color").writeOpaque("blue".getBytes(StandardCharsets.UTF_8))).send().status());
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, ro).remove("f").send().status());
        assertEquals(Nfs4Status.NFS4ERR_ROFS, at(client, ro).create(org.fsnap.server.testclient.Nfs4.NF4DIR, null,
                "d", FattrBuilder.attrs().mode(0755)).send().status());
        // reading works; ACCESS grants no MODIFY, EXTEND, DELETE
        at(client, ro).open("f", OPEN4_SHARE_ACCESS_READ, 0, client.clientId(), client.ownerId(),
                OpenHow.noCreate()).send().assertOk();
        int asked = ACCESS4_READ | ACCESS4_LOOKUP | ACCESS4_MODIFY | ACCESS4_EXTEND | ACCESS4_DELETE;
        assertEquals(ACCESS4_READ | ACCESS4_LOOKUP, at(client, ro).access(asked).send().assertOk()
                .find(OP_ACCESS).access().access());
        assertEquals(asked, at(client, rw).access(asked).send().assertOk().find(OP_ACCESS).access().access());
        assertEquals("read me\n", Files.readString(f));
        assertEquals(List.of("f"), Files.list(ro).map(p -> p.getFileName().toString())
                .filter(n -> !n.startsWith(".fsnap")).toList());
    }

    @Test
    void squashingAsTheEntrySays() throws Exception {
        createFile(client, rw, "by-root");
        createFile(client, squash, "by-root");
        client.as(AuthSys.of(1000, 1000));
        createFile(client, all, "by-1000");
        createFile(client, squash, "by-1000");
        assertEquals("0:0", owner(rw.resolve("by-root")));
        assertEquals("65534:65534", owner(squash.resolve("by-root")));
        assertEquals("1234:1234", owner(all.resolve("by-1000")));
        assertEquals("1000:1000", owner(squash.resolve("by-1000")));
        // AUTH_NONE acts as the export's anonuid/anongid, even where root is not squashed
        client.as(AuthSys.none());
        createFile(client, all, "by-none");
        createFile(client, rw, "by-none");
        assertEquals("1234:1234", owner(all.resolve("by-none")));
        assertEquals("65534:65534", owner(rw.resolve("by-none")));
    }

    private void createFile(Nfs4Client c, Path dir, String name) throws IOException {
        at(c, dir).open(name, OPEN4_SHARE_ACCESS_BOTH, 0, c.clientId(), c.ownerId(),
                OpenHow.unchecked(FattrBuilder.attrs().mode(0644))).send().assertOk();
    }

    private static String owner(Path p) throws IOException {
        return Files.getAttribute(p, "unix:uid") + ":" + Files.getAttribute(p, "unix:gid");
    }

    @Test
    void pseudoRootLeadsToEachExportWithItsOwnFsid() throws Exception {
        Fattr root = client.compound().sequence().putrootfh().getattr(org.fsnap.server.testclient.Attr.FSID)
                .send().assertOk().find(OP_GETATTR).attrs();
        Fattr a = at(client, rw).getattr(org.fsnap.server.testclient.Attr.FSID).send().assertOk()
                .find(OP_GETATTR).attrs();
        Fattr b = at(client, ro).getattr(org.fsnap.server.testclient.Attr.FSID).send().assertOk()
                .find(OP_GETATTR).attrs();
        Fattr parent = at(client, rw.getParent()).getattr(org.fsnap.server.testclient.Attr.FSID).send().assertOk()
                .find(OP_GETATTR).attrs();
        assertEquals(root.fsid(), parent.fsid(), "pseudo directories: one fsid");
        assertNotEquals(a.fsid(), b.fsid());
        assertNotEquals(root.fsid(), a.fsid());
        assertNotEquals(root.fsid(), b.fsid());
        // the directory above lists the exports this client may use: not 'other' (127.0.0.2), and
        // not 'secure' under data/ (this client's port is not privileged)
        CompoundReply r = at(client, rw.getParent()).readdir(0, new byte[8], 4096, 8192,
                org.fsnap.server.testclient.Attr.TYPE).send().assertOk();
        assertEquals(List.of("ro", "rw"), r.find(OP_READDIR).readdir().names());
        CompoundReply d = at(client, secure.getParent()).readdir(0, new byte[8], 4096, 8192,
                org.fsnap.server.testclient.Attr.TYPE).send().assertOk();
        assertEquals(List.of("all", "squash"), d.find(OP_READDIR).readdir().names());
        // LOOKUPP from an export's root goes back to the pseudo directory
        Fattr up = at(client, rw).lookupp().getattr(org.fsnap.server.testclient.Attr.FSID).send().assertOk()
                .find(OP_GETATTR).attrs();
        assertEquals(root.fsid(), up.fsid());
    }

    @Test
    void secureRefusesUnprivilegedPortsWithPerm() throws Exception {
        assertEquals(Nfs4Status.NFS4ERR_PERM, at(client, secure).getfh().send().status());
        assumeTrue("root".equals(System.getProperty("user.name")),
                "binding a port below 1024 needs root: the privileged half of this test is skipped");
        IOException last = null;
        for (int port = 990; port > 900; port--) {
            Nfs4Client kernelLike;
            try {
                kernelLike = clientFrom("127.0.0.1", port);
            } catch (IOException e) {
                last = e;
                continue; // in use
            }
            try (kernelLike) {
                at(kernelLike, secure).getfh().send().assertOk();
                createFile(kernelLike, secure, "from-port-" + port);
                assertEquals("0:0", owner(secure.resolve("from-port-" + port)));
            }
            return;
        }
        throw new AssertionError("no free port below 1024", last);
    }

    @Test
    void handlesStayValidAcrossARestart() throws Exception {
        createFile(client, rw, "kept");
        CompoundReply before = at(client, rw).lookup("kept").getfh()
                .getattr(org.fsnap.server.testclient.Attr.FILEID).send().assertOk();
        byte[] fh = before.find(OP_GETFH).fh();
        byte[] dirFh = at(client, rw.getParent()).getfh().send().assertOk().find(OP_GETFH).fh();
        long fileId = before.find(OP_GETATTR).attrs().fileId();
        stop();
        client = null;
        server = null;
        start();
        Fattr after = client.compound().sequence().putfh(fh).getattr(org.fsnap.server.testclient.Attr.FILEID)
                .send().assertOk().find(OP_GETATTR).attrs();
        assertEquals(fileId, after.fileId());
        client.compound().sequence().putfh(dirFh).lookup("rw").send().assertOk();
        assertFalse(fh.length > 128);
    }
}
