package org.fsnap.server.ops.attribute;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.FsStat;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;

/**
 * A small in-memory {@link VirtualFileSystem} for operation tests: mode-bit permissions as
 * knfsd checks them, stable per-directory cookies (creation order, starting at 3), a cookie
 * verifier that tests can change, injectable getattr failures, counted fsStat calls.
 */
public final class MemoryFileSystem implements VirtualFileSystem {
    public static final long FSID_MAJOR = 77;
    public static final long FSID_MINOR = 5;

    private final Map<Long, Node> nodes = new HashMap<>();
    private final Set<Long> failingGetattr = new HashSet<>();
    private final AtomicInteger fsStatCalls = new AtomicInteger();
    private long nextId = 100;
    private long clock = 1_700_000_000_000_000_000L;
    private boolean xattrs;
    private final Node root;

    static final class Node {
        final long id;
        final FileType type;
        int mode;
        int uid;
        int gid;
        long size;
        int nlink = 1;
        long change;
        long atime;
        long mtime;
        long ctime;
        long btime;
        final TreeMap<Long, String> byCookie = new TreeMap<>();
        final Map<String, Long> children = new HashMap<>();
        final Map<String, Long> cookies = new HashMap<>();
        long nextCookie = 3;
        long verifier = 0x1122334455667788L;

        Node(long id, FileType type, int mode, int uid, int gid) {
            this.id = id;
            this.type = type;
            this.mode = mode;
            this.uid = uid;
            this.gid = gid;
        }
    }

    public MemoryFileSystem() {
        root = newNode(FileType.DIRECTORY, 0755, 0, 0);
        root.nlink = 2;
    }

    private Node newNode(FileType type, int mode, int uid, int gid) {
        Node n = new Node(nextId++, type, mode, uid, gid);
        touch(n);
        n.atime = n.mtime;
        n.btime = n.mtime;
        nodes.put(n.id, n);
        return n;
    }

    private void touch(Node n) {
        clock += 1000;
        n.change = clock;
        n.ctime = clock;
        n.mtime = clock;
    }

    public static Inode inode(Node n) {
        return new Inode(ByteBuffer.allocate(8).putLong(n.id).array(), n.type);
    }

    private Node node(Inode inode) throws VfsException {
        Node n = nodes.get(ByteBuffer.wrap(inode.handle()).getLong());
        if (n == null) {
            throw new VfsException(VfsError.STALE, "gone");
        }
        return n;
    }

    // ---- test controls

    public void setXattrSupported(boolean on) {
        xattrs = on;
    }

    public int fsStatCalls() {
        return fsStatCalls.get();
    }

    public void failGetattr(Inode inode) throws VfsException {
        failingGetattr.add(node(inode).id);
    }

    public void setVerifier(Inode dir, long verifier) throws VfsException {
        node(dir).verifier = verifier;
    }

    /** Creates as root with the given owner, bypassing permissions. */
    public Inode make(Inode dir, String name, FileType type, int mode, int uid, int gid)
            throws VfsException {
        Node d = node(dir);
        Node n = newNode(type, mode, uid, gid);
        link(d, name, n);
        return inode(n);
    }

    public void zeroCreateTime(Inode inode) throws VfsException {
        node(inode).btime = 0;
    }

    private void link(Node d, String name, Node n) {
        long c = d.nextCookie++;
        d.children.put(name, n.id);
        d.cookies.put(name, c);
        d.byCookie.put(c, name);
        touch(d);
    }

    // ---- permissions, knfsd style

    private static boolean allowed(Caller c, Node n, int bit) {
        if (c.isRoot()) {
            return bit != 1 || (n.mode & 0111) != 0 || n.type == FileType.DIRECTORY;
        }
        int shift = c.uid() == n.uid ? 6 : c.inGroup(n.gid) ? 3 : 0;
        return ((n.mode >> shift) & bit) != 0;
    }

    // ---- VirtualFileSystem

    @Override
    public Inode root() {
        return inode(root);
    }

    @Override
    public Inode inodeOf(byte[] handle) throws VfsException {
        if (handle.length != 8) {
            throw new VfsException(VfsError.BADHANDLE, "bad handle");
        }
        Node n = nodes.get(ByteBuffer.wrap(handle).getLong());
        if (n == null) {
            throw new VfsException(VfsError.STALE, "gone");
        }
        return inode(n);
    }

    @Override
    public Inode lookup(Caller caller, Inode dir, String name) throws VfsException {
        Node d = node(dir);
        if (!allowed(caller, d, 1)) {
            throw new VfsException(VfsError.ACCESS, "search");
        }
        Long id = d.children.get(name);
        if (id == null) {
            throw new VfsException(VfsError.NOENT, name);
        }
        return inode(nodes.get(id));
    }

    @Override
    public Inode parentOf(Caller caller, Inode dir) throws VfsException {
        throw new VfsException(VfsError.NOENT, "not kept");
    }

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        Node n = node(inode);
        if (failingGetattr.contains(n.id)) {
            throw new VfsException(VfsError.IO, "injected");
        }
        return stat(n);
    }

    private static Stat stat(Node n) {
        return new Stat(n.type, n.id, FSID_MAJOR, FSID_MINOR, n.mode, n.nlink, n.uid, n.gid,
                n.size, (n.size + 4095) / 4096 * 4096, n.change, n.atime, n.mtime, n.ctime,
                n.btime, 0, 0);
    }

    @Override
    public Stat setattr(Caller caller, Inode inode, SetAttributes ch) throws VfsException {
        Node n = node(inode);
        boolean owner = caller.isRoot() || caller.uid() == n.uid;
        if (ch.uid() != null && !caller.isRoot() && ch.uid() != n.uid) {
            throw new VfsException(VfsError.PERM, "chown");
        }
        if (ch.gid() != null && !owner) {
            throw new VfsException(VfsError.PERM, "chgrp");
        }
        if (ch.mode() != null && !owner) {
            throw new VfsException(VfsError.PERM, "chmod");
        }
        if (ch.size() != null && !allowed(caller, n, 2)) {
            throw new VfsException(VfsError.ACCESS, "truncate");
        }
        if (ch.mode() != null) {
            n.mode = ch.mode();
        }
        if (ch.uid() != null) {
            n.uid = ch.uid();
        }
        if (ch.gid() != null) {
            n.gid = ch.gid();
        }
        if (ch.size() != null) {
            n.size = ch.size();
        }
        touch(n);
        if (ch.atimeNanos() != null) {
            n.atime = ch.atimeNanos() == SetAttributes.SET_TO_SERVER_TIME ? clock : ch.atimeNanos();
        }
        if (ch.mtimeNanos() != null) {
            n.mtime = ch.mtimeNanos() == SetAttributes.SET_TO_SERVER_TIME ? clock : ch.mtimeNanos();
        }
        return stat(n);
    }

    @Override
    public int access(Caller caller, Inode inode, int requested) throws VfsException {
        Node n = node(inode);
        int granted = 0;
        boolean dir = n.type == FileType.DIRECTORY;
        if (allowed(caller, n, 4)) {
            granted |= Access.READ | Access.XAREAD | Access.XALIST;
        }
        if (allowed(caller, n, 2)) {
            granted |= Access.MODIFY | Access.EXTEND | Access.XAWRITE | (dir ? Access.DELETE : 0);
        }
        if (allowed(caller, n, 1)) {
            granted |= dir ? Access.LOOKUP : Access.EXECUTE;
        }
        return granted & requested;
    }

    @Override
    public Inode create(Caller caller, Inode dir, String name, FileType type, SetAttributes attrs,
                        String linkTarget) throws VfsException {
        Node d = node(dir);
        if (d.children.containsKey(name)) {
            throw new VfsException(VfsError.EXIST, name);
        }
        int mode = attrs.mode() == null ? 0644 : attrs.mode();
        Node n = newNode(type, mode, caller.uid(), caller.gid());
        link(d, name, n);
        return inode(n);
    }

    @Override
    public void link(Caller caller, Inode target, Inode dir, String name) throws VfsException {
        Node n = node(target);
        n.nlink++;
        link(node(dir), name, n);
    }

    @Override
    public void remove(Caller caller, Inode dir, String name) throws VfsException {
        Node d = node(dir);
        Long id = d.children.remove(name);
        if (id == null) {
            throw new VfsException(VfsError.NOENT, name);
        }
        d.byCookie.remove(d.cookies.remove(name));
        Node n = nodes.get(id);
        if (--n.nlink <= 0 || n.type == FileType.DIRECTORY) {
            nodes.remove(id);
        }
        touch(d);
    }

    @Override
    public void rename(Caller caller, Inode fromDir, String fromName, Inode toDir, String toName)
            throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "not needed");
    }

    @Override
    public String readlink(Caller caller, Inode link) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "not needed");
    }

    @Override
    public DirectoryPage list(Caller caller, Inode dir, long cookie, int maxEntries)
            throws VfsException {
        Node d = node(dir);
        if (d.type != FileType.DIRECTORY) {
            throw new VfsException(VfsError.NOTDIR, "not a directory");
        }
        if (!allowed(caller, d, 4) || !allowed(caller, d, 1)) {
            throw new VfsException(VfsError.ACCESS, "list");
        }
        List<DirectoryEntry> out = new ArrayList<>();
        var tail = d.byCookie.tailMap(cookie, false);
        for (var e : tail.entrySet()) {
            if (out.size() >= maxEntries) {
                break;
            }
            Node n = nodes.get(d.children.get(e.getValue()));
            Stat st = failingGetattr.contains(n.id) ? null : stat(n);
            out.add(new DirectoryEntry(e.getValue(), e.getKey(), inode(n), st));
        }
        boolean eof = out.isEmpty() || out.getLast().cookie() == d.byCookie.lastKey();
        return new DirectoryPage(out, d.verifier, eof);
    }

    @Override
    public int read(Caller caller, Inode file, ByteBuffer dst, long offset) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "not needed");
    }

    @Override
    public Stability write(Caller caller, Inode file, ByteBuffer src, long offset,
                           Stability requested) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "not needed");
    }

    @Override
    public void commit(Inode file, long offset, long count) {
    }

    @Override
    public FsStat fsStat(Inode inode) throws VfsException {
        node(inode);
        fsStatCalls.incrementAndGet();
        return new FsStat(1L << 40, 1L << 39, 1L << 38, 1_000_000, 900_000, 800_000);
    }

    @Override
    public boolean xattrSupported(Inode inode) {
        return xattrs;
    }
}
