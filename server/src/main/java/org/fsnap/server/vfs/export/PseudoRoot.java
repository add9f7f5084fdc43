package org.fsnap.server.vfs.export;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.FileView;
import org.fsnap.server.vfs.FsStat;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.vfs.XattrSetMode;
import org.fsnap.server.vfs.namedattr.NamedAttributeSupport;

/**
 * The NFSv4 pseudo-root of an exports file, as knfsd builds it: read-only synthetic
 * directories for the path components leading to the exports, each export's (gated) stack
 * mounted at its path, so that clients mount {@code SERVER:/srv/data}.
 *
 * <p>File handles say which export they belong to without growing (the 128-byte limit is
 * reached by the layers below, e.g. named attributes with long names): every handle of the
 * stacks below starts with its format version byte 1, which is replaced here by
 * {@code 0x80 + export index} (file order of the exports file; so at most 127 exports, and
 * reordering the file invalidates handles). A handle not starting with 1 is wrapped whole as
 * {@code [0x71][index][handle]}. Pseudo directories are {@code [0x70][first 8 bytes of
 * SHA-256 of the path]}: they stay valid across restarts as long as the path leads to an export.
 *
 * <p>Each export reports its own fsid: the stack's fsid major with minor {@code index + 1} (so
 * two exports of one device differ too); the pseudo directories have fsid
 * {@link #PSEUDO_FSID_MAJOR}:0. A Linux client sees each export as its own mount below the
 * pseudo-root. LOOKUPP from an export's root goes to the pseudo directory above it.
 *
 * <p>A client sees in a pseudo directory only the names leading to an export it may use, and a
 * LOOKUP of another is refused as entering the export would be (ACCESS, or PERM for the port).
 */
public final class PseudoRoot implements VirtualFileSystem, NamedAttributeSupport, ExportsEnforced {
    static final byte KIND_PSEUDO = 0x70;
    static final byte KIND_PREFIXED = 0x71;
    static final int EXPORT_BASE = 0x80;
    /** Handles of the layers below start with this version byte. */
    static final byte INNER_VERSION = 1;
    public static final int MAX_EXPORTS = 127;
    /** fsid major of the pseudo directories ("fsnapseu"). */
    public static final long PSEUDO_FSID_MAJOR = 0x66736e6170736575L;

    private final List<ExportGate> gates;
    private final List<Inode> exportRoots = new ArrayList<>();
    private final List<Node> mountPoints = new ArrayList<>();
    private final Node root;
    private final Map<Long, Node> byHash = new HashMap<>();
    private final long builtNanos;

    /** One directory of the pseudo tree (or the mount point of an export). */
    private static final class Node {
        final String path;
        final Node parent;
        final TreeMap<String, Node> children = new TreeMap<>();
        final List<Integer> exportsBelow = new ArrayList<>();
        final long hash;
        int export = -1;
        Inode inode;

        Node(String path, Node parent) {
            this.path = path;
            this.parent = parent;
            this.hash = hash(path);
        }
    }

    /** Pseudo directories' inodes carry their node. */
    private static final class PseudoInode extends Inode {
        final Node node;

        PseudoInode(Node node) {
            super(ByteBuffer.allocate(9).put(KIND_PSEUDO).putLong(node.hash).array(), FileType.DIRECTORY);
            this.node = node;
        }
    }

    /** An object of export {@code index}, with the inner stack's inode. */
    private static final class ExportInode extends Inode {
        final int index;
        final Inode inner;

        ExportInode(byte[] handle, int index, Inode inner) {
            super(handle, inner.type());
            this.index = index;
            this.inner = inner;
        }
    }

    /**
     * @param gates the exports, in exports file order; no path may lie inside another's
     * @throws IllegalArgumentException for nested exports or more than {@link #MAX_EXPORTS}
     */
    public PseudoRoot(List<ExportGate> gates) throws VfsException {
        if (gates.isEmpty() || gates.size() > MAX_EXPORTS) {
            throw new IllegalArgumentException("1 to " + MAX_EXPORTS + " exports, got " + gates.size());
        }
        this.gates = List.copyOf(gates);
        this.builtNanos = System.currentTimeMillis() * 1_000_000L;
        root = new Node("/", null);
        byHash.put(root.hash, root);
        for (int i = 0; i < gates.size(); i++) {
            Path p = gates.get(i).path().toAbsolutePath().normalize();
            for (int j = 0; j < i; j++) {
                Path q = gates.get(j).path();
                if (p.startsWith(q) || q.startsWith(p)) {
                    throw new IllegalArgumentException("nested exports: " + q + " and " + p);
                }
            }
            Node n = root;
            n.exportsBelow.add(i);
            for (Path name : p) {
                String child = name.toString();
                Node parent = n;
                n = parent.children.computeIfAbsent(child,
                        c -> new Node(parent.parent == null && parent.path.equals("/") ? "/" + c : parent.path + "/" + c,
                                parent));
                if (byHash.putIfAbsent(n.hash, n) != null && byHash.get(n.hash) != n) {
                    throw new IllegalStateException("pseudo-root path digests collide: " + n.path);
                }
                n.exportsBelow.add(i);
            }
            n.export = i;
            mountPoints.add(n);
            exportRoots.add(gates.get(i).root());
        }
        for (Node n : byHash.values()) {
            n.inode = new PseudoInode(n);
        }
    }

    /** The exports, in file order. */
    public List<ExportGate> gates() {
        return gates;
    }

    static long hash(String path) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ handles

    private ExportInode wrap(int index, Inode inner) throws VfsException {
        byte[] h = inner.handle();
        if (h[0] == INNER_VERSION) {
            h[0] = (byte) (EXPORT_BASE + index);
            return new ExportInode(h, index, inner);
        }
        if (h.length + 2 > Inode.MAX_HANDLE_SIZE) {
            throw new VfsException(VfsError.SERVERFAULT, "a handle of " + h.length + " bytes of "
                    + gates.get(index).path() + " cannot be marked with its export");
        }
        byte[] w = ByteBuffer.allocate(h.length + 2).put(KIND_PREFIXED).put((byte) index).put(h).array();
        return new ExportInode(w, index, inner);
    }

    private Inode exportRoot(int index) throws VfsException {
        return wrap(index, exportRoots.get(index));
    }

    private Inode inodeOf(Node n) throws VfsException {
        return n.export >= 0 ? exportRoot(n.export) : n.inode;
    }

    @Override
    public Inode root() throws VfsException {
        return inodeOf(root);
    }

    @Override
    public Inode inodeOf(byte[] handle) throws VfsException {
        if (handle.length == 0) {
            throw new VfsException(VfsError.BADHANDLE, "empty handle");
        }
        int kind = handle[0] & 0xff;
        if (kind == KIND_PSEUDO) {
            if (handle.length != 9) {
                throw new VfsException(VfsError.BADHANDLE, "pseudo-root handle of " + handle.length + " bytes");
            }
            Node n = byHash.get(ByteBuffer.wrap(handle, 1, 8).getLong());
            if (n == null || n.export >= 0) {
                throw new VfsException(VfsError.STALE, "no such pseudo-root directory (exports changed?)");
            }
            return n.inode;
        }
        int index;
        byte[] inner;
        if (kind == KIND_PREFIXED) {
            if (handle.length < 3) {
                throw new VfsException(VfsError.BADHANDLE, "truncated export handle");
            }
            index = handle[1] & 0xff;
            inner = java.util.Arrays.copyOfRange(handle, 2, handle.length);
        } else if (kind >= EXPORT_BASE && kind < EXPORT_BASE + MAX_EXPORTS) {
            index = kind - EXPORT_BASE;
            inner = handle.clone();
            inner[0] = INNER_VERSION;
        } else {
            throw new VfsException(VfsError.BADHANDLE, "not a handle of this server");
        }
        if (index >= gates.size()) {
            throw new VfsException(VfsError.STALE, "handle of export #" + (index + 1) + ", which is not exported");
        }
        return wrap(index, gates.get(index).inodeOf(inner));
    }

    /** The export object behind {@code inode}, or null for a pseudo directory. */
    private ExportInode exported(Inode inode) throws VfsException {
        if (inode instanceof ExportInode e) {
            return e;
        }
        if (inode instanceof PseudoInode) {
            return null;
        }
        Inode resolved = inodeOf(inode.handle());
        return resolved instanceof ExportInode e ? e : null;
    }

    private Node pseudo(Inode inode) throws VfsException {
        if (inode instanceof PseudoInode p) {
            return p.node;
        }
        Inode resolved = inodeOf(inode.handle());
        return resolved instanceof PseudoInode p ? p.node : null;
    }

    private static VfsException readOnly() {
        return new VfsException(VfsError.ROFS, "the pseudo-root is read-only");
    }

    // ------------------------------------------------------------------ which client sees what

    /** Whether the caller may use some export at or below {@code n} (quietly). */
    private boolean visible(Caller caller, Node n) {
        for (int i : n.exportsBelow) {
            if (gates.get(i).admits(caller)) {
                return true;
            }
        }
        return false;
    }

    /** As {@link #visible}, but refusing (and logging) as the exports below do: PERM before ACCESS. */
    private void admitBelow(Caller caller, Node n) throws VfsException {
        if (visible(caller, n)) {
            return;
        }
        VfsException refusal = null;
        for (int i : n.exportsBelow) {
            try {
                gates.get(i).check(caller);
                return;
            } catch (VfsException e) {
                if (refusal == null || e.error() == VfsError.PERM) {
                    refusal = e;
                }
            }
        }
        throw refusal != null ? refusal : new VfsException(VfsError.NOT_EXPORTED, "no export below " + n.path);
    }

    // ------------------------------------------------------------------ namespace

    @Override
    public Inode lookup(Caller caller, Inode dir, String name) throws VfsException {
        ExportInode e = exported(dir);
        if (e != null) {
            return wrap(e.index, gates.get(e.index).lookup(caller, e.inner, name));
        }
        Node n = pseudo(dir);
        Node child = n.children.get(name);
        if (child == null) {
            throw new VfsException(VfsError.NOENT, n.path + " has no " + name);
        }
        admitBelow(caller, child);
        return inodeOf(child);
    }

    @Override
    public Inode parentOf(Caller caller, Inode dir) throws VfsException {
        ExportInode e = exported(dir);
        if (e == null) {
            Node n = pseudo(dir);
            if (n.parent == null) {
                throw new VfsException(VfsError.NOENT, "the pseudo-root has no parent");
            }
            return inodeOf(n.parent);
        }
        ExportGate gate = gates.get(e.index);
        if (e.inner.equals(exportRoots.get(e.index))) {
            gate.check(caller);
            Node mount = mountPoints.get(e.index);
            if (mount.parent == null) {
                throw new VfsException(VfsError.NOENT, "the root has no parent");
            }
            return inodeOf(mount.parent);
        }
        return wrap(e.index, gate.parentOf(caller, e.inner));
    }

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        ExportInode e = exported(inode);
        if (e == null) {
            return pseudoStat(pseudo(inode));
        }
        return ownFsid(e.index, gates.get(e.index).getattr(e.inner));
    }

    /** The export's fsid: the stack's major, minor marked with the export. */
    static Stat ownFsid(int index, Stat s) {
        if (s == null) {
            return null;
        }
        return new Stat(s.type(), s.fileId(), s.fsidMajor(), (s.fsidMinor() << 8) | (index + 1), s.mode(),
                s.nlink(), s.uid(), s.gid(), s.size(), s.spaceUsed(), s.change(), s.atimeNanos(), s.mtimeNanos(),
                s.ctimeNanos(), s.createTimeNanos(), s.rdevMajor(), s.rdevMinor());
    }

    private Stat pseudoStat(Node n) {
        int subdirs = n.children.size();
        return new Stat(FileType.DIRECTORY, n.hash & Long.MAX_VALUE, PSEUDO_FSID_MAJOR, 0, 0555, 2 + subdirs, 0, 0,
                4096, 4096, builtNanos, builtNanos, builtNanos, builtNanos, builtNanos, 0, 0);
    }

    @Override
    public Stat setattr(Caller caller, Inode inode, SetAttributes change) throws VfsException {
        ExportInode e = exported(inode);
        if (e == null) {
            throw readOnly();
        }
        return ownFsid(e.index, gates.get(e.index).setattr(caller, e.inner, change));
    }

    @Override
    public int access(Caller caller, Inode inode, int requested) throws VfsException {
        ExportInode e = exported(inode);
        if (e == null) {
            return requested & (Access.READ | Access.LOOKUP);
        }
        return gates.get(e.index).access(caller, e.inner, requested);
    }

    @Override
    public void checkWritable(Caller caller, Inode inode) throws VfsException {
        ExportInode e = exported(inode);
        if (e == null) {
            throw readOnly();
        }
        gates.get(e.index).checkWritable(caller, e.inner);
    }

    @Override
    public Inode create(Caller caller, Inode dir, String name, FileType type, SetAttributes attrs,
                        String linkTarget) throws VfsException {
        ExportInode e = exported(dir);
        if (e == null) {
            throw readOnly();
        }
        return wrap(e.index, gates.get(e.index).create(caller, e.inner, name, type, attrs, linkTarget));
    }

    @Override
    public void link(Caller caller, Inode target, Inode dir, String name) throws VfsException {
        ExportInode t = exported(target);
        ExportInode d = exported(dir);
        if (t == null || d == null) {
            throw readOnly();
        }
        if (t.index != d.index) {
            throw new VfsException(VfsError.XDEV, "a link across exports");
        }
        gates.get(d.index).link(caller, t.inner, d.inner, name);
    }

    @Override
    public void remove(Caller caller, Inode dir, String name) throws VfsException {
        ExportInode e = exported(dir);
        if (e == null) {
            throw readOnly();
        }
        gates.get(e.index).remove(caller, e.inner, name);
    }

    @Override
    public void rename(Caller caller, Inode fromDir, String fromName, Inode toDir, String toName)
            throws VfsException {
        ExportInode f = exported(fromDir);
        ExportInode t = exported(toDir);
        if (f == null || t == null) {
            throw readOnly();
        }
        if (f.index != t.index) {
            throw new VfsException(VfsError.XDEV, "a rename across exports");
        }
        gates.get(f.index).rename(caller, f.inner, fromName, t.inner, toName);
    }

    @Override
    public String readlink(Caller caller, Inode link) throws VfsException {
        ExportInode e = exported(link);
        if (e == null) {
            throw new VfsException(VfsError.INVAL, "not a symbolic link");
        }
        return gates.get(e.index).readlink(caller, e.inner);
    }

    @Override
    public DirectoryPage list(Caller caller, Inode dir, long cookie, int maxEntries) throws VfsException {
        ExportInode e = exported(dir);
        if (e != null) {
            DirectoryPage page = gates.get(e.index).list(caller, e.inner, cookie, maxEntries);
            List<DirectoryEntry> out = new ArrayList<>(page.entries().size());
            for (DirectoryEntry d : page.entries()) {
                out.add(new DirectoryEntry(d.name(), d.cookie(), wrap(e.index, d.inode()), ownFsid(e.index, d.stat())));
            }
            return new DirectoryPage(out, page.verifier(), page.eof());
        }
        Node n = pseudo(dir);
        List<DirectoryEntry> out = new ArrayList<>();
        // Cookies: the child's place among all children, from 3 (0, 1 and 2 are not cookies).
        long c = 3;
        boolean eof = true;
        for (Node child : n.children.values()) {
            long mine = c++;
            if (mine <= cookie || !visible(caller, child)) {
                continue;
            }
            if (out.size() >= Math.max(1, maxEntries)) {
                eof = false;
                break;
            }
            Inode inode = inodeOf(child);
            out.add(new DirectoryEntry(child.path.substring(child.path.lastIndexOf('/') + 1), mine, inode,
                    getattr(inode)));
        }
        return new DirectoryPage(out, n.hash, eof);
    }

    // ------------------------------------------------------------------ data

    @Override
    public int read(Caller caller, Inode file, ByteBuffer dst, long offset) throws VfsException {
        ExportInode e = exported(file);
        if (e == null) {
            throw new VfsException(VfsError.ISDIR, "a pseudo-root directory");
        }
        return gates.get(e.index).read(caller, e.inner, dst, offset);
    }

    @Override
    public FileView readView(Caller caller, Inode file, long offset, int count) throws VfsException {
        ExportInode e = exported(file);
        return e == null ? null : gates.get(e.index).readView(caller, e.inner, offset, count);
    }

    @Override
    public Stability write(Caller caller, Inode file, ByteBuffer src, long offset, Stability requested)
            throws VfsException {
        ExportInode e = exported(file);
        if (e == null) {
            throw readOnly();
        }
        return gates.get(e.index).write(caller, e.inner, src, offset, requested);
    }

    @Override
    public void commit(Inode file, long offset, long count) throws VfsException {
        ExportInode e = exported(file);
        if (e == null) {
            throw new VfsException(VfsError.ISDIR, "a pseudo-root directory");
        }
        gates.get(e.index).commit(e.inner, offset, count);
    }

    @Override
    public FsStat fsStat(Inode inode) throws VfsException {
        ExportInode e = exported(inode);
        if (e == null) {
            return new FsStat(0, 0, 0, byHash.size(), 0, 0);
        }
        return gates.get(e.index).fsStat(e.inner);
    }

    // ------------------------------------------------------------------ xattrs, named attributes

    @Override
    public boolean xattrSupported(Inode inode) throws VfsException {
        ExportInode e = exported(inode);
        return e != null && gates.get(e.index).xattrSupported(e.inner);
    }

    @Override
    public byte[] getXattr(Caller caller, Inode inode, String name) throws VfsException {
        ExportInode e = exported(inode);
        if (e == null) {
            throw new VfsException(VfsError.NOTSUPP, "no extended attributes in the pseudo-root");
        }
        return gates.get(e.index).getXattr(caller, e.inner, name);
    }

    @Override
    public void setXattr(Caller caller, Inode inode, String name, byte[] value, XattrSetMode mode)
            throws VfsException {
        ExportInode e = exported(inode);
        if (e == null) {
            throw readOnly();
        }
        gates.get(e.index).setXattr(caller, e.inner, name, value, mode);
    }

    @Override
    public List<String> listXattrs(Caller caller, Inode inode) throws VfsException {
        ExportInode e = exported(inode);
        if (e == null) {
            throw new VfsException(VfsError.NOTSUPP, "no extended attributes in the pseudo-root");
        }
        return gates.get(e.index).listXattrs(caller, e.inner);
    }

    @Override
    public void removeXattr(Caller caller, Inode inode, String name) throws VfsException {
        ExportInode e = exported(inode);
        if (e == null) {
            throw readOnly();
        }
        gates.get(e.index).removeXattr(caller, e.inner, name);
    }

    @Override
    public Inode openAttributes(Caller caller, Inode object, boolean createDir) throws VfsException {
        ExportInode e = exported(object);
        if (e == null) {
            throw new VfsException(VfsError.NOTSUPP, "no named attributes in the pseudo-root");
        }
        return wrap(e.index, gates.get(e.index).openAttributes(caller, e.inner, createDir));
    }
}
