package org.fsnap.server.vfs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.fsnap.config.ExportTable;
import org.fsnap.config.ExportsFile;
import org.fsnap.config.HostResolver;
import org.fsnap.server.testclient.MemoryFileSystem;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.XattrSetMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The export gate over an in-memory filesystem: who may use it, secure ports, squashing, ro. */
class ExportGateTest {
    static final InetAddress LAN = InetAddress.ofLiteral("10.0.0.5");
    static final InetAddress OTHER = InetAddress.ofLiteral("192.168.7.7");

    private final MemoryFileSystem fs = new MemoryFileSystem();

    static ExportGate gate(MemoryFileSystem fs, String line) throws Exception {
        ExportTable t = ExportsFile.parse("exports", line + "\n", HostResolver.none(), false);
        return new ExportGate(fs, t, t.exports().get(0), new RefusalLog());
    }

    static Caller from(InetAddress client, int port, int uid, int gid, int... gids) {
        return new Caller(uid, gid, gids, client, port);
    }

    static void fails(VfsError expected, Executable call) {
        assertEquals(expected, assertThrows(org.fsnap.server.vfs.VfsException.class, call).error());
    }

    @Test
    void aClientWithoutAnEntryIsRefusedEverything() throws Exception {
        Inode root = fs.root();
        fs.mkfile(root, "f", 0644, 0, 0, "data".getBytes());
        ExportGate g = gate(fs, "/srv 10.0.0.0/24(rw,insecure) 10.0.1.7(ro,insecure)");
        Caller stranger = from(OTHER, 40000, 1000, 1000);
        fails(VfsError.NOT_EXPORTED, () -> g.lookup(stranger, root, "f"));
        fails(VfsError.NOT_EXPORTED, () -> g.list(stranger, root, 0, 10));
        fails(VfsError.NOT_EXPORTED, () -> g.access(stranger, root, Access.READ));
        fails(VfsError.NOT_EXPORTED, () -> g.read(stranger, fs.lookup(Caller.root(), root, "f"), ByteBuffer.allocate(4), 0));
        fails(VfsError.NOT_EXPORTED, () -> g.create(stranger, root, "x", FileType.REGULAR, SetAttributes.NONE, null));
        assertEquals(false, g.admits(stranger));
        // one matching client, and the host entry of another
        Caller lan = from(LAN, 40000, 1000, 1000);
        assertEquals(fs.lookup(Caller.root(), root, "f"), g.lookup(lan, root, "f"));
        assertTrue(g.admits(lan));
        assertTrue(g.admits(from(InetAddress.ofLiteral("10.0.1.7"), 40000, 1, 1)));
    }

    @Test
    void secureRefusesUnprivilegedPortsWithPerm() throws Exception {
        ExportGate g = gate(fs, "/srv 10.0.0.5(rw) 10.0.0.6(rw,insecure)");
        Inode root = fs.root();
        fails(VfsError.PERM, () -> g.list(from(LAN, 1024, 0, 0), root, 0, 10));
        fails(VfsError.PERM, () -> g.list(from(LAN, 51234, 0, 0), root, 0, 10));
        assertEquals(false, g.admits(from(LAN, 51234, 0, 0)));
        g.list(from(LAN, 1023, 0, 0), root, 0, 10);
        g.list(from(LAN, 700, 0, 0), root, 0, 10);
        g.list(from(InetAddress.ofLiteral("10.0.0.6"), 51234, 0, 0), root, 0, 10);
    }

    @Test
    void rootSquashAllSquashAndNoRootSquash() throws Exception {
        Inode root = fs.root();
        fs.setattr(Caller.root(), root, SetAttributes.ofMode(0777));
        ExportGate squash = gate(fs, "/srv 10.0.0.5(rw,insecure)");
        ExportGate noSquash = gate(fs, "/srv 10.0.0.5(rw,insecure,no_root_squash)");
        ExportGate all = gate(fs, "/srv 10.0.0.5(rw,insecure,all_squash,anonuid=1234,anongid=1235)");
        ExportGate anon = gate(fs, "/srv 10.0.0.5(rw,insecure,anonuid=99,anongid=98)");

        assertEquals(List.of(65534, 65534), owner(squash.create(from(LAN, 900, 0, 0), root, "a", FileType.REGULAR,
                SetAttributes.NONE, null)));
        assertEquals(List.of(99, 98), owner(anon.create(from(LAN, 900, 0, 0, 0), root, "b", FileType.REGULAR,
                SetAttributes.NONE, null)));
        assertEquals(List.of(0, 0), owner(noSquash.create(from(LAN, 900, 0, 0), root, "c", FileType.REGULAR,
                SetAttributes.NONE, null)));
        assertEquals(List.of(1000, 100), owner(squash.create(from(LAN, 900, 1000, 100), root, "d", FileType.REGULAR,
                SetAttributes.NONE, null)));
        assertEquals(List.of(1234, 1235), owner(all.create(from(LAN, 900, 1000, 100, 5), root, "e",
                FileType.REGULAR, SetAttributes.NONE, null)));

        // squashed root no longer reads a 0600 file of root's; unsquashed root does
        Inode secret = fs.mkfile(root, "secret", 0600, 0, 0, "s".getBytes());
        fails(VfsError.ACCESS, () -> squash.read(from(LAN, 900, 0, 0), secret, ByteBuffer.allocate(1), 0));
        assertEquals(1, noSquash.read(from(LAN, 900, 0, 0), secret, ByteBuffer.allocate(1), 0));
    }

    /** knfsd gives AUTH_NONE calls the export's anonuid/anongid, whatever the squash option. */
    @Test
    void authNoneActsAsTheExportsAnonymousUser() throws Exception {
        Inode root = fs.root();
        fs.setattr(Caller.root(), root, SetAttributes.ofMode(0777));
        ExportGate anon = gate(fs, "/srv 10.0.0.5(rw,insecure,anonuid=99,anongid=98)");
        ExportGate noSquash = gate(fs, "/srv 10.0.0.5(rw,insecure,no_root_squash,anonuid=77,anongid=76)");

        assertEquals(List.of(99, 98), owner(anon.create(Caller.anonymous(LAN, 900), root, "n1",
                FileType.REGULAR, SetAttributes.NONE, null)));
        assertEquals(List.of(77, 76), owner(noSquash.create(Caller.anonymous(LAN, 900), root, "n2",
                FileType.REGULAR, SetAttributes.NONE, null)));
        // an AUTH_SYS caller claiming 65534 is not anonymous
        assertEquals(List.of(65534, 65534), owner(anon.create(from(LAN, 900, 65534, 65534), root, "n3",
                FileType.REGULAR, SetAttributes.NONE, null)));
    }

    private List<Integer> owner(Inode f) throws Exception {
        Stat s = fs.getattr(f);
        return List.of(s.uid(), s.gid());
    }

    @Test
    void readOnlyRefusesEveryChangeWithRofs() throws Exception {
        Inode root = fs.root();
        Inode dir = fs.mkdir(root, "d", 0777, 0, 0);
        Inode f = fs.mkfile(dir, "f", 0666, 0, 0, "data".getBytes());
        ExportGate g = gate(fs, "/srv 10.0.0.5(ro,insecure,no_root_squash)");
        Caller c = from(LAN, 900, 0, 0);
        fails(VfsError.ROFS, () -> g.setattr(c, f, SetAttributes.ofMode(0600)));
        fails(VfsError.ROFS, () -> g.create(c, dir, "n", FileType.REGULAR, SetAttributes.NONE, null));
        fails(VfsError.ROFS, () -> g.create(c, dir, "n", FileType.DIRECTORY, SetAttributes.NONE, null));
        fails(VfsError.ROFS, () -> g.link(c, f, dir, "l"));
        fails(VfsError.ROFS, () -> g.remove(c, dir, "f"));
        fails(VfsError.ROFS, () -> g.rename(c, dir, "f", dir, "g"));
        fails(VfsError.ROFS, () -> g.write(c, f, ByteBuffer.wrap(new byte[] {1}), 0, Stability.FILE_SYNC));
        fails(VfsError.ROFS, () -> g.setXattr(c, f, "fsnap.create", "v1".getBytes(), XattrSetMode.EITHER));
        fails(VfsError.ROFS, () -> g.removeXattr(c, f, "color"));
        fails(VfsError.ROFS, () -> g.openAttributes(c, f, true));
        fails(VfsError.ROFS, () -> g.checkWritable(c, f));
        // nothing changed, reading works
        assertTrue(fs.exists(dir, "f"));
        assertEquals(4, g.read(c, f, ByteBuffer.allocate(10), 0));
        assertEquals(List.of("f"), g.list(c, dir, 0, 10).entries().stream().map(e -> e.name()).toList());
        // ACCESS: no MODIFY, EXTEND or DELETE; reading and XAWRITE as below (SETXATTR then says ROFS)
        int all = Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND | Access.DELETE | Access.XAWRITE;
        assertEquals(Access.READ | Access.LOOKUP, g.access(c, dir, all) & ~Access.XAWRITE);
        assertEquals(Access.READ | Access.XAWRITE, g.access(c, f, all));
        // the same client with rw may
        ExportGate rw = gate(fs, "/srv 10.0.0.5(rw,insecure,no_root_squash)");
        assertEquals(all & ~(Access.LOOKUP | Access.DELETE), rw.access(c, f, all));
        rw.checkWritable(c, f);
        rw.setattr(c, f, SetAttributes.ofMode(0600));
        assertEquals(0600, fs.getattr(f).mode());
    }

    @Test
    void theServerItselfPassesUnsquashed() throws Exception {
        Inode root = fs.root();
        Inode f = fs.mkfile(root, "f", 0600, 0, 0, "data".getBytes());
        ExportGate g = gate(fs, "/srv 10.0.0.5(rw)");
        // no client address: the server acting on an OPEN's authority (StateChecks.OPENED)
        assertEquals(4, g.read(Caller.root(), f, ByteBuffer.allocate(10), 0));
        g.write(Caller.root(), f, ByteBuffer.wrap(new byte[] {'D'}), 0, Stability.FILE_SYNC);
        assertEquals(0, fs.getattr(g.create(Caller.root(), root, "n", FileType.REGULAR, SetAttributes.NONE, null))
                .uid());
    }

    @Test
    void implicitExportIsEveryoneReadWriteInsecure() throws Exception {
        Inode root = fs.root();
        fs.setattr(Caller.root(), root, SetAttributes.ofMode(0777));
        ExportGate g = ExportGate.implicit(fs, Path.of("/srv"), true, 65534, 65534);
        Caller anyone = from(OTHER, 60000, 0, 0);
        assertEquals(65534, fs.getattr(g.create(anyone, root, "a", FileType.REGULAR, SetAttributes.NONE, null)).uid());
        ExportGate open = ExportGate.implicit(fs, Path.of("/srv"), false, 65534, 65534);
        assertEquals(0, fs.getattr(open.create(anyone, root, "b", FileType.REGULAR, SetAttributes.NONE, null)).uid());
        assertEquals("*(rw,root_squash,anonuid=65534,anongid=65534,insecure,sec=sys)",
                "*(" + g.export().rules().get(0).options() + ")");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30) // a lookup on the caller's thread would hang here
    void anExpiredClientAnswerIsUsedWhileItIsLookedUpAgainBesideTheCaller() throws Exception {
        // A host-name entry: what the name resolves to decides. The name service first says LAN,
        // then hangs (a DNS outage), then says another address.
        java.util.concurrent.atomic.AtomicReference<List<InetAddress>> resolved =
                new java.util.concurrent.atomic.AtomicReference<>(List.of(LAN));
        java.util.concurrent.CountDownLatch hang = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        HostResolver resolver = new HostResolver() {
            @Override
            public List<InetAddress> addresses(String host) {
                if (lookups.incrementAndGet() > 1) {
                    try {
                        hang.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return resolved.get();
            }

            @Override
            public java.util.Optional<String> name(InetAddress client) {
                return java.util.Optional.empty();
            }
        };
        ExportTable t = ExportsFile.parse("exports", "/srv trusted.lan(rw,insecure)\n", resolver, false);
        long[] now = {0};
        ExportGate g = new ExportGate(fs, t, t.exports().get(0), new RefusalLog(), () -> now[0]);
        Caller c = from(LAN, 40000, 1000, 1000);
        assertTrue(g.optionsOf(LAN).isPresent());
        now[0] += ExportGate.CACHE_NANOS + 1;
        resolved.set(List.of(OTHER));
        // Expired: answered at once from what was known, though the lookup behind it hangs.
        assertTrue(g.optionsOf(LAN).isPresent());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lookups.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (int i = 0; i < 5; i++) {
            assertTrue(g.access(c, fs.root(), Access.READ) >= 0); // calls go on while DNS hangs
        }
        assertEquals(2, lookups.get(), "one lookup runs again, not one per call");
        hang.countDown();
        deadline = System.nanoTime() + 10_000_000_000L;
        while (g.optionsOf(LAN).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(g.optionsOf(LAN).isEmpty(), "the new answer is used once it is known");
    }
}
