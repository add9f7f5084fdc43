package org.fsnap.server.vfs.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fsnap.config.ExportTable;
import org.fsnap.config.ExportsFile;
import org.fsnap.config.HostResolver;
import org.fsnap.server.testclient.MemoryFileSystem;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.ForwardingFileSystem;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The pseudo-root over three in-memory exports: tree, visibility per client, handles, fsids. */
class PseudoRootTest {
    static final String EXPORTS = String.join("\n",
            "/srv/a  10.0.0.0/8(rw,insecure,no_root_squash)",
            "/srv/b  10.0.0.5(ro,insecure) 10.0.0.6(rw,insecure)",
            "/data/c 10.0.0.0/8(rw)",
            "");
    static final Caller ALL = from("10.0.0.5", 900);
    static final Caller ONLY_A = from("10.9.9.9", 40000);
    static final Caller STRANGER = from("192.168.1.1", 900);

    final MemoryFileSystem a = new MemoryFileSystem();
    final MemoryFileSystem b = new MemoryFileSystem();
    final MemoryFileSystem c = new MemoryFileSystem();

    static Caller from(String ip, int port) {
        return new Caller(0, 0, new int[0], InetAddress.ofLiteral(ip), port);
    }

    static void fails(VfsError expected, Executable call) {
        assertEquals(expected, assertThrows(VfsException.class, call).error());
    }

    PseudoRoot pseudo(VirtualFileSystem... stacks) throws Exception {
        ExportTable t = ExportsFile.parse("exports", EXPORTS, HostResolver.none(), false);
        RefusalLog log = new RefusalLog();
        List<ExportGate> gates = new ArrayList<>();
        for (int i = 0; i < stacks.length; i++) {
            gates.add(new ExportGate(stacks[i], t, t.exports().get(i), log));
        }
        return new PseudoRoot(gates);
    }

    PseudoRoot pseudo() throws Exception {
        return pseudo(a, b, c);
    }

    static List<String> names(PseudoRoot p, Caller caller, Inode dir) throws Exception {
        return p.list(caller, dir, 0, 100).entries().stream().map(DirectoryEntry::name).toList();
    }

    @Test
    void pseudoDirectoriesLeadToTheExportsAClientMayMount() throws Exception {
        a.mkfile(a.root(), "in-a", 0644, 0, 0, "A".getBytes());
        PseudoRoot p = pseudo();
        Inode root = p.root();
        assertEquals(FileType.DIRECTORY, root.type());
        assertEquals(List.of("data", "srv"), names(p, ALL, root));
        assertEquals(List.of("srv"), names(p, ONLY_A, root));
        assertEquals(List.of(), names(p, STRANGER, root));

        Inode srv = p.lookup(ALL, root, "srv");
        assertEquals(List.of("a", "b"), names(p, ALL, srv));
        assertEquals(List.of("a"), names(p, ONLY_A, srv));
        Inode exportA = p.lookup(ONLY_A, srv, "a");
        assertEquals(List.of("in-a"), names(p, ONLY_A, exportA));
        assertEquals("A".length(), p.getattr(p.lookup(ONLY_A, exportA, "in-a")).size());

        // refusals: no entry (ACCESS), a secure export from an unprivileged port (PERM), no such name
        fails(VfsError.NOT_EXPORTED, () -> p.lookup(ONLY_A, srv, "b"));
        fails(VfsError.NOT_EXPORTED, () -> p.lookup(STRANGER, root, "srv"));
        fails(VfsError.NOT_EXPORTED, () -> p.lookup(STRANGER, srv, "a"));
        fails(VfsError.PERM, () -> p.lookup(from("10.0.0.5", 40000), root, "data"));
        p.lookup(from("10.0.0.5", 1000), root, "data");
        fails(VfsError.NOENT, () -> p.lookup(ALL, root, "home"));
        // a handle of an export obtained earlier does not let a stranger in
        fails(VfsError.NOT_EXPORTED, () -> p.list(STRANGER, exportA, 0, 10));
    }

    @Test
    void pseudoDirectoriesAreReadOnly() throws Exception {
        PseudoRoot p = pseudo();
        Inode root = p.root();
        fails(VfsError.ROFS, () -> p.create(ALL, root, "x", FileType.DIRECTORY, SetAttributes.NONE, null));
        fails(VfsError.ROFS, () -> p.setattr(ALL, root, SetAttributes.ofMode(0777)));
        fails(VfsError.ROFS, () -> p.remove(ALL, root, "srv"));
        fails(VfsError.ROFS, () -> p.checkWritable(ALL, root));
        assertEquals(Access.READ | Access.LOOKUP, p.access(ALL, root, 0xff));
        Stat s = p.getattr(root);
        assertEquals(0555, s.mode());
        assertEquals(0, s.uid());
    }

    @Test
    void eachExportHasItsOwnFsidAndTheParentOfItsRootIsThePseudoDirectory() throws Exception {
        PseudoRoot p = pseudo();
        Inode root = p.root();
        Inode srv = p.lookup(ALL, root, "srv");
        Inode ea = p.lookup(ALL, srv, "a");
        Inode eb = p.lookup(ALL, srv, "b");
        Inode ec = p.lookup(ALL, p.lookup(ALL, root, "data"), "c");
        // the three memory filesystems report the same fsid themselves
        assertEquals(a.getattr(a.root()).fsidMajor(), b.getattr(b.root()).fsidMajor());
        List<List<Long>> fsids = new ArrayList<>();
        for (Inode i : List.of(root, srv, ea, eb, ec)) {
            Stat s = p.getattr(i);
            fsids.add(List.of(s.fsidMajor(), s.fsidMinor()));
        }
        assertEquals(fsids.get(0), fsids.get(1), "pseudo directories share one fsid");
        assertEquals(List.of(PseudoRoot.PSEUDO_FSID_MAJOR, 0L), fsids.get(0));
        assertEquals(4, fsids.stream().distinct().count(), "pseudo, a, b, c: " + fsids);
        // inside an export the fsid stays the export's
        Inode sub = p.create(ALL, ea, "sub", FileType.DIRECTORY, SetAttributes.NONE, null);
        assertEquals(p.getattr(ea).fsidMinor(), p.getattr(sub).fsidMinor());

        assertEquals(srv, p.parentOf(ALL, ea));
        assertEquals(ea, p.parentOf(ALL, sub));
        assertEquals(root, p.parentOf(ALL, srv));
        fails(VfsError.NOENT, () -> p.parentOf(ALL, root));
        // across exports: XDEV
        Inode fa = p.create(ALL, ea, "f", FileType.REGULAR, SetAttributes.NONE, null);
        fails(VfsError.XDEV, () -> p.rename(ALL, ea, "f", ec, "f"));
        fails(VfsError.XDEV, () -> p.link(ALL, fa, ec, "f"));
    }

    @Test
    void handlesNameTheirExportAndSurviveARebuild() throws Exception {
        b.setattr(Caller.root(), b.root(), SetAttributes.ofMode(0777));
        PseudoRoot p = pseudo();
        Inode srv = p.lookup(ALL, p.root(), "srv");
        Inode eb = p.lookup(from("10.0.0.6", 900), srv, "b");
        Inode f = p.create(from("10.0.0.6", 900), eb, "f", FileType.REGULAR, SetAttributes.NONE, null);
        assertTrue(f.handle().length <= Inode.MAX_HANDLE_SIZE);
        assertEquals(f, p.inodeOf(f.handle()));

        // the server restarts: a new pseudo-root over the same exports resolves old handles
        PseudoRoot again = pseudo();
        assertEquals(f, again.inodeOf(f.handle()));
        assertEquals(srv, again.inodeOf(srv.handle()));
        assertEquals(p.getattr(f), again.getattr(again.inodeOf(f.handle())));
        assertEquals(List.of("f"), names(again, ALL, again.inodeOf(eb.handle())));

        // an exports file with fewer exports: the handles of the missing export are STALE
        PseudoRoot fewer = pseudo(a);
        assertThrows(VfsException.class, () -> fewer.inodeOf(f.handle()));
        fails(VfsError.STALE, () -> fewer.inodeOf(f.handle()));
        fails(VfsError.STALE, () -> fewer.inodeOf(p.lookup(ALL, p.root(), "data").handle()));
        fails(VfsError.BADHANDLE, () -> p.inodeOf(new byte[] {0x33, 1, 2}));
    }

    @Test
    void handlesOfTheFullSizeStayWithin128Bytes() throws Exception {
        PseudoRoot p = pseudo(new LongHandles(a), b, c);
        Inode ea = p.lookup(ALL, p.lookup(ALL, p.root(), "srv"), "a");
        byte[] h = ea.handle();
        assertEquals(Inode.MAX_HANDLE_SIZE, h.length);
        assertEquals(0x80, h[0] & 0xff, "version byte 1 replaced by the export's mark");
        assertEquals(ea, p.inodeOf(h));
        byte[] inner = new LongHandles(a).root().handle();
        assertArrayEquals(Arrays.copyOfRange(inner, 1, inner.length), Arrays.copyOfRange(h, 1, h.length));
    }

    /** A stack whose root handle is 128 bytes starting with version byte 1, as the layers' longest. */
    static final class LongHandles extends ForwardingFileSystem {
        private final MemoryFileSystem inner;

        LongHandles(MemoryFileSystem inner) {
            this.inner = inner;
        }

        @Override
        protected VirtualFileSystem delegate() {
            return inner;
        }

        @Override
        public Inode root() throws VfsException {
            byte[] h = inner.root().handle();
            byte[] longer = new byte[Inode.MAX_HANDLE_SIZE];
            longer[0] = 1;
            longer[1] = (byte) h.length;
            System.arraycopy(h, 0, longer, 2, h.length);
            Arrays.fill(longer, 2 + h.length, longer.length, (byte) 0x5a);
            return new Inode(longer, FileType.DIRECTORY);
        }

        @Override
        public Inode inodeOf(byte[] handle) throws VfsException {
            if (handle.length == Inode.MAX_HANDLE_SIZE && handle[0] == 1) {
                inner.inodeOf(Arrays.copyOfRange(handle, 2, 2 + handle[1]));
                return new Inode(handle, FileType.DIRECTORY);
            }
            return inner.inodeOf(handle);
        }
    }

    @Test
    void nestedExportsAreRefused() throws Exception {
        ExportTable t = ExportsFile.parse("exports", "/srv *(rw)\n/srv/a *(rw)\n", HostResolver.none(), false);
        RefusalLog log = new RefusalLog();
        List<ExportGate> gates = List.of(new ExportGate(a, t, t.exports().get(0), log),
                new ExportGate(b, t, t.exports().get(1), log));
        assertThrows(IllegalArgumentException.class, () -> new PseudoRoot(gates));
        assertNotEquals(null, t);
    }
}
